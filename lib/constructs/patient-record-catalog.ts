import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PatientRecordCatalogProps {
  /** Bucket of the processed zone, where the ingestion job writes the canonical records. */
  readonly processedBucket: s3.IBucket;
  /**
   * Prefix of the canonical records in the processed bucket (no leading or trailing slash).
   * @default 'patient-records'
   */
  readonly prefix?: string;
}

/** The canonical patient record: the columns every source is mapped to by the ingestion job. */
export const PATIENT_RECORD_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'record_id', type: 'string', comment: 'stable id of the record within its source' },
  { name: 'age_years', type: 'double', comment: 'age in years; null when unknown' },
  { name: 'sex', type: 'string', comment: 'female, male or unknown' },
  { name: 'phenotypes', type: 'array<string>', comment: 'observed HPO term ids' },
  { name: 'excluded_phenotypes', type: 'array<string>', comment: 'explicitly excluded HPO term ids' },
  { name: 'evidences', type: 'array<string>', comment: 'DDXPlus evidence tokens' },
  { name: 'diagnosis_id', type: 'string', comment: 'OMIM:, ORPHA: or DDXPLUS: id of the label' },
  { name: 'diagnosis_name', type: 'string', comment: 'label of the diagnosis' },
];

/** The sources the ingestion job writes (`SOURCES` in pipelines/steps/ingest/record.py). */
export const PATIENT_RECORD_SOURCES = ['ddxplus', 'kaggle', 'phenopacket', 'feedback'] as const;

/** Partition keys: the source dataset and the ingestion date (yyyy-mm-dd). */
export const PATIENT_RECORD_PARTITIONS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'source', type: 'string', comment: 'source dataset, e.g. ddxplus, hpo, feedback' },
  { name: 'ingestion_date', type: 'string', comment: 'yyyy-mm-dd of the ingestion run' },
];

/**
 * Glue Data Quality rules of the canonical record (DQDL). The ingestion job quarantines bad rows with a reason;
 * these rules check what reaches the processed zone.
 * https://docs.aws.amazon.com/glue/latest/dg/dqdl.html
 */
export const PATIENT_RECORD_RULES = `Rules = [
  RowCount > 0,
  IsComplete "record_id",
  IsUnique "record_id",
  IsComplete "diagnosis_id",
  IsComplete "phenotypes",
  ColumnValues "sex" in ["female", "male", "unknown"],
  ColumnValues "age_years" <= 130 with threshold >= 0.99
]`;

/** The Glue database and table of the canonical patient record (Parquet in the processed zone) and its DQ ruleset. */
export class PatientRecordCatalog extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;
  public readonly ruleset: glue.CfnDataQualityRuleset;
  public readonly databaseName: string;
  public readonly tableName = 'patient_records';
  /** `s3://` URI of the table's location, with a trailing slash. */
  public readonly tableUri: string;

  constructor(scope: Construct, id: string, props: PatientRecordCatalogProps) {
    super(scope, id);
    const prefix = props.prefix ?? 'patient-records';
    if (!/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/.test(prefix)) {
      throw new Error(
        `PatientRecordCatalog ${id}: prefix must be a relative S3 prefix without slashes at the ends, got "${prefix}"`,
      );
    }
    const { account } = Stack.of(this);
    // Glue database names are lower-case and unique per account and region; the stack name keeps stages apart.
    this.databaseName = `${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9]/g, '_')}`;
    this.tableUri = `s3://${props.processedBucket.bucketName}/${prefix}/`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'DxOps canonical patient records (synthetic and public data only)',
      },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: 'Canonical patient record: one row per labelled case',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          'parquet.compression': 'SNAPPY',
          has_encrypted_data: 'true',
          // Partition projection: the job writes source=<s>/ingestion_date=<d>/ with plain Spark, so Athena finds
          // new partitions without a crawler or MSCK REPAIR.
          'projection.enabled': 'true',
          'projection.source.type': 'enum',
          'projection.source.values': PATIENT_RECORD_SOURCES.join(','),
          'projection.ingestion_date.type': 'date',
          'projection.ingestion_date.format': 'yyyy-MM-dd',
          'projection.ingestion_date.range': '2024-01-01,NOW',
          'storage.location.template': `${this.tableUri}source=\${source}/ingestion_date=\${ingestion_date}/`,
        },
        partitionKeys: [...PATIENT_RECORD_PARTITIONS],
        storageDescriptor: {
          columns: [...PATIENT_RECORD_COLUMNS],
          location: this.tableUri,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    this.table.addResourceDependency(this.database);
    this.ruleset = new glue.CfnDataQualityRuleset(this, 'Ruleset', {
      // Glue requires a name; one ruleset per table.
      name: `${this.databaseName}-${this.tableName}`,
      description: 'Completeness, uniqueness and domain rules of the canonical patient record',
      ruleset: PATIENT_RECORD_RULES,
      targetTable: { databaseName: this.databaseName, tableName: this.tableName },
    });
    this.ruleset.addResourceDependency(this.table);
  }

  /** ARNs of the catalog, database and table, for IAM policies. */
  public get catalogArns(): string[] {
    const { partition, region, account } = Stack.of(this);
    const base = `arn:${partition}:glue:${region}:${account}`;
    return [`${base}:catalog`, `${base}:database/${this.databaseName}`, `${base}:table/${this.databaseName}/*`];
  }
}
