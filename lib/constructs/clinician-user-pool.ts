import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface ClinicianUserPoolProps {
  /** HTTPS URL of the service: the app client's OAuth callback and sign-out URL. */
  readonly serviceUrl: string;
  /**
   * Minimum password length.
   * @default 14 - above the 12 of most hospital policies; MFA is required on top
   */
  readonly minPasswordLength?: number;
  /** Keep the pool (the clinicians' accounts) when the stack is deleted. @default true */
  readonly retain?: boolean;
}

/**
 * The Cognito user pool of the clinicians who use the service: administrator-created accounts only, required TOTP MFA,
 * strong passwords, threat protection enforced, and one app client (no secret, SRP and authorization-code flow)
 * whose ID tokens the service verifies.
 */
export class ClinicianUserPool extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: ClinicianUserPoolProps) {
    super(scope, id);
    const minLength = props.minPasswordLength ?? 14;
    if (!Number.isInteger(minLength) || minLength < 12 || minLength > 99) {
      throw new Error(`ClinicianUserPool ${id}: minPasswordLength must be an integer from 12 to 99, got ${minLength}`);
    }
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain ?? true,
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [props.serviceUrl],
        logoutUrls: [props.serviceUrl],
      },
    });
  }

  /** The issuer (`iss`) of the pool's tokens, which the service checks along with the client id (`aud`). */
  public get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
