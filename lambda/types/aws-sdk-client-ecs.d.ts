/**
 * Types for the part of `@aws-sdk/client-ecs` the functions use. The Lambda Node.js runtime ships the full AWS SDK
 * v3 and esbuild keeps `@aws-sdk/*` external, so the module exists at run time; it is not yet a dependency of this
 * repository. Delete this file when `@aws-sdk/client-ecs` is added to package.json.
 */
declare module '@aws-sdk/client-ecs' {
  export interface UpdateServiceCommandInput {
    cluster?: string;
    service: string;
    forceNewDeployment?: boolean;
  }
  export class UpdateServiceCommand {
    constructor(input: UpdateServiceCommandInput);
    readonly input: UpdateServiceCommandInput;
  }
  export class ECSClient {
    constructor(config?: Record<string, unknown>);
    send(command: UpdateServiceCommand): Promise<unknown>;
  }
}
