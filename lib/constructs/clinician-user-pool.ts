import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Both app clients: one-hour tokens, a 12-hour refresh, no hint whether a user exists. */
const CLIENT_DEFAULTS = {
  preventUserExistenceErrors: true,
  idTokenValidity: Duration.hours(1),
  accessTokenValidity: Duration.hours(1),
  refreshTokenValidity: Duration.hours(12),
} satisfies Partial<cognito.UserPoolClientOptions>;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface ClinicianUserPoolProps {
  /** HTTPS URL of the service: the app client's OAuth callback and sign-out URL. */
  readonly serviceUrl: string;
  /**
   * Prefix of the pool's sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), where the load balancer sends
   * a browser to sign in. Globally unique across AWS accounts: lower-case letters, digits and hyphens, and it may
   * not contain `aws`, `amazon` or `cognito`.
   */
  readonly signInDomainPrefix: string;
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
 * strong passwords, threat protection enforced. Two app clients, whose tokens the service verifies: `client` (public,
 * SRP and authorization-code flow) for scripts and an EHR that bring a bearer token, and `signInClient`
 * (confidential: the load balancer holds its secret) through which the load balancer signs a browser in on the
 * pool's domain and forwards the access token to the service.
 */
export class ClinicianUserPool extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly client: cognito.UserPoolClient;
  public readonly signInClient: cognito.UserPoolClient;
  public readonly signInDomain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: ClinicianUserPoolProps) {
    super(scope, id);
    const minLength = props.minPasswordLength ?? 14;
    if (!Number.isInteger(minLength) || minLength < 12 || minLength > 99) {
      throw new Error(`ClinicianUserPool ${id}: minPasswordLength must be an integer from 12 to 99, got ${minLength}`);
    }
    const prefix = props.signInDomainPrefix;
    if (!Token.isUnresolved(prefix) && (!DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix))) {
      throw new Error(
        `ClinicianUserPool ${id}: signInDomainPrefix must be 1-63 lower-case letters, digits or inner hyphens without aws, amazon or cognito, got ${prefix}`,
      );
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
      ...CLIENT_DEFAULTS,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [props.serviceUrl],
        logoutUrls: [props.serviceUrl],
      },
    });
    this.signInDomain = this.userPool.addDomain('SignInDomain', { cognitoDomain: { domainPrefix: prefix } });
    this.signInClient = this.userPool.addClient('SignInClient', {
      // An ALB's authenticate-cognito action needs a client with a secret.
      generateSecret: true,
      authFlows: {},
      ...CLIENT_DEFAULTS,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        // the load balancer's own endpoint for the code (https://<name>/oauth2/idpresponse)
        callbackUrls: [`${props.serviceUrl}/oauth2/idpresponse`],
        logoutUrls: [props.serviceUrl],
      },
    });
  }

  /** The app clients whose tokens the service accepts (`aud` of ID tokens, `client_id` of access tokens). */
  public get clientIds(): string[] {
    return [this.client.userPoolClientId, this.signInClient.userPoolClientId];
  }

  /** The issuer (`iss`) of the pool's tokens, which the service checks along with the client id (`aud`). */
  public get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
