import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { acknowledgePlatformWide } from '../compliance';
import type { StageConfig } from '../config';
import { ClinicianUserPool } from '../constructs/clinician-user-pool';
import { InferenceService } from '../constructs/inference-service';
import { ModelDeployment } from '../constructs/model-deployment';
import { OpsKey } from '../constructs/ops-key';
import { WebAcl } from '../constructs/web-acl';
import type { DataStack } from './data-stack';

export interface ServingStackProps extends StackProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly data: DataStack;
  /** Directory of the inference service image (`containers/inference`, with its Dockerfile). */
  readonly imageDirectory: string;
}

/** SSM parameter holding the approved model package URI, polled by the service (`none` before any approval). */
export function modelParameterName(stage: string): string {
  return `/dxops/${stage}/model/approved-uri`;
}

/**
 * The serving plane: the inference service on Fargate behind HTTPS, AWS WAF, the clinicians' Cognito user pool, the
 * approved-model parameter and the deployment-on-approval rule. Output: the service's HTTPS URL.
 */
export class ServingStack extends Stack {
  public readonly inference: InferenceService;
  public readonly deployment: ModelDeployment;
  public readonly users: ClinicianUserPool;
  public readonly modelParameter: ssm.StringParameter;
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    if (!existsSync(path.join(props.imageDirectory, 'Dockerfile'))) {
      throw new Error(`ServingStack: imageDirectory has no Dockerfile: ${props.imageDirectory}`);
    }
    acknowledgePlatformWide(this);
    const key = new OpsKey(this, 'OpsKey', { purpose: 'serving logs and queues', retain: config.retainData })
      .allowCloudWatchLogs()
      .allowServicePublishers('events.amazonaws.com');
    this.url = `https://${config.domain.domainName}`;
    this.modelParameter = new ssm.StringParameter(this, 'ApprovedModelUri', {
      parameterName: modelParameterName(config.stage),
      description: 'S3 URI of the approved model package the inference service serves; none before any approval',
      stringValue: 'none',
    });
    this.users = new ClinicianUserPool(this, 'Clinicians', {
      serviceUrl: this.url,
      signInDomainPrefix: config.domain.signInDomainPrefix ?? `dxops-${config.stage}-${this.account}`,
      retain: config.retainData,
    });
    const zone = this.hostedZone(config);
    this.inference = new InferenceService(this, 'Inference', {
      vpc: props.vpc,
      image: ecs.ContainerImage.fromAsset(props.imageDirectory, { platform: Platform.LINUX_ARM64 }),
      certificate: this.certificate(config, zone),
      logKey: key.key,
      serverAccessLogsBucket: s3.Bucket.fromBucketName(this, 'AccessLogsBucket', data.accessLogsBucket.bucketName),
      environment: {
        STAGE: config.stage,
        AWS_REGION: this.region,
        MODEL_SSM_PARAMETER: this.modelParameter.parameterName,
        ARTIFACTS_BUCKET: data.artifactsBucket.bucketName,
        AUDIT_BUCKET: data.auditBucket.bucketName,
        COGNITO_USER_POOL_ID: this.users.userPool.userPoolId,
        // both app clients: scripts' bearer tokens and the load balancer's sign-in
        COGNITO_CLIENT_ID: Fn.join(',', this.users.clientIds),
        AUTH_TOKEN_HEADER: 'x-amzn-oidc-accesstoken',
        COGNITO_ISSUER: this.users.issuerUrl,
        METRICS_NAMESPACE: 'DxOps/Inference',
      },
      ...config.serving,
      signIn: { userPool: this.users.userPool, client: this.users.signInClient, domain: this.users.signInDomain },
      production: config.retainData,
      logRetention: config.logRetentionDays,
    });
    this.inference.grantReadModels(this.modelParameter, data.artifactsBucket, data.key);
    this.inference.grantWriteAudit(data.auditBucket);
    new WebAcl(this, 'Firewall', {
      resourceArn: this.inference.loadBalancer.loadBalancerArn,
      logKey: key.key,
      logRetention: config.logRetentionDays,
    });
    if (zone) {
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: config.domain.domainName,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.inference.loadBalancer)),
      });
    }
    this.deployment = new ModelDeployment(this, 'DeployOnApproval', {
      modelPackageGroupName: config.ml.modelPackageGroupName,
      parameter: this.modelParameter,
      service: this.inference.service,
      cluster: this.inference.cluster,
      artifactsBucket: data.artifactsBucket,
      vpc: props.vpc,
      key: key.key,
      logRetention: config.logRetentionDays,
    });
    this.addOutputs();
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ServiceUrl', { value: this.url, description: 'HTTPS URL of the DxOps service' });
    new CfnOutput(this, 'LoadBalancerDns', {
      value: this.inference.loadBalancer.loadBalancerDnsName,
      description: 'Point the service name at this (CNAME/alias) when no hosted zone is configured',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.users.client.userPoolClientId,
      description: 'Public app client for scripts and an EHR that bring a bearer token',
    });
  }

  private hostedZone(config: StageConfig): route53.IHostedZone | undefined {
    const { hostedZoneId, hostedZoneName } = config.domain;
    if (hostedZoneId === undefined || hostedZoneName === undefined) return undefined;
    return route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId, zoneName: hostedZoneName });
  }

  /**
   * The given certificate, else a DNS-validated one: in the hosted zone when configured, otherwise the deploy waits
   * until the validation CNAME shown in the ACM console is added to the domain's DNS (docs/runbooks/deploy.md).
   */
  private certificate(config: StageConfig, zone: route53.IHostedZone | undefined): acm.ICertificate {
    if (config.domain.certificateArn) {
      return acm.Certificate.fromCertificateArn(this, 'Certificate', config.domain.certificateArn);
    }
    return new acm.Certificate(this, 'Certificate', {
      domainName: config.domain.domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }
}
