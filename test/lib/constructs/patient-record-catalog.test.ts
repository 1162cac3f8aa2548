import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PATIENT_RECORD_RULES, PatientRecordCatalog } from '../../../lib/constructs/patient-record-catalog';

function build(prefix?: string) {
  const stack = new Stack(undefined, 'DxOps-dev-Data');
  const catalog = new PatientRecordCatalog(stack, 'Records', { processedBucket: new s3.Bucket(stack, 'B'), prefix });
  return { catalog, template: Template.fromStack(stack) };
}

describe('PatientRecordCatalog', () => {
  test('declares the canonical record as a Parquet table partitioned by source and ingestion date', () => {
    const { template, catalog } = build();
    expect(catalog.databaseName).toBe('dxops_dev_data');
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'dxops_dev_data',
      TableInput: Match.objectLike({
        Name: 'patient_records',
        PartitionKeys: [
          Match.objectLike({ Name: 'source', Type: 'string' }),
          Match.objectLike({ Name: 'ingestion_date', Type: 'string' }),
        ],
        StorageDescriptor: Match.objectLike({
          Columns: [
            Match.objectLike({ Name: 'record_id', Type: 'string' }),
            Match.objectLike({ Name: 'age_years', Type: 'double' }),
            Match.objectLike({ Name: 'sex', Type: 'string' }),
            Match.objectLike({ Name: 'phenotypes', Type: 'array<string>' }),
            Match.objectLike({ Name: 'excluded_phenotypes', Type: 'array<string>' }),
            Match.objectLike({ Name: 'evidences', Type: 'array<string>' }),
            Match.objectLike({ Name: 'diagnosis_id', Type: 'string' }),
            Match.objectLike({ Name: 'diagnosis_name', Type: 'string' }),
          ],
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.source.values': 'ddxplus,kaggle,phenopacket,feedback',
          'projection.ingestion_date.format': 'yyyy-MM-dd',
        }),
      }),
    });
    const table = JSON.stringify(template.findResources('AWS::Glue::Table'));
    // Athena's projection placeholders, not JavaScript template syntax.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal ${...} placeholders are the point
    expect(table).toContain('/patient-records/source=${source}/ingestion_date=${ingestion_date}/');
  });

  test('has a data-quality ruleset on the table with completeness, uniqueness and domain rules', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      TargetTable: { DatabaseName: 'dxops_dev_data', TableName: 'patient_records' },
      Ruleset: PATIENT_RECORD_RULES,
    });
    expect(PATIENT_RECORD_RULES).toMatch(/IsUnique "record_id"/);
    expect(PATIENT_RECORD_RULES).toMatch(/ColumnValues "sex" in \["female", "male", "unknown"\]/);
  });

  test('rejects a prefix with a leading slash, naming it', () => {
    expect(() => build('/records')).toThrow(/prefix must be a relative S3 prefix.*got "\/records"/);
  });
});
