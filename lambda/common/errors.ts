/** Base of every domain error raised by the platform's Lambda functions. */
export class AppError extends Error {
  /** Stable machine-readable code, logged with the message. */
  public readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A required environment variable is missing or malformed (raised at module load). */
export class ConfigurationError extends AppError {
  constructor(message: string) {
    super('CONFIGURATION', message);
  }
}

/** The incoming event does not have the shape the handler expects. */
export class InvalidEventError extends AppError {
  constructor(message: string) {
    super('INVALID_EVENT', message);
  }
}
