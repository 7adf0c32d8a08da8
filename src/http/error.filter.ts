import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { constraintViolation } from '../database/dialect';
import { ErrorBody, FieldError } from './error-body';

interface Request {
  id?: string;
}

/** The app's pino logger (src/http/logging.ts), which request lines write through too. */
interface ErrorLog {
  error(fields: object, message: string): void;
}

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/** Maps database constraint failures that input can cause to 409 and 422; the rest stay 500. */
function fromDatabase(err: QueryFailedError): ErrorBody | undefined {
  const text = (err.driverError as { message?: string } | undefined)?.message ?? err.message;
  switch (constraintViolation(err)) {
    case 'unique':
      return { statusCode: 409, error: 'Conflict', message: 'A record with these values already exists.' };
    case 'foreign-key':
      return { statusCode: 409, error: 'Conflict', message: 'The record refers to, or is referred to by, another record.' };
    case 'check':
      return { statusCode: 422, error: 'Unprocessable Entity', message: `A value breaks a rule of the data: ${text}` };
    default:
      return undefined;
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body: ErrorBody = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: exception.message,
    };
    if (typeof response === 'object' && response !== null) {
      const r = response as { message?: unknown; details?: FieldError[]; error?: string };
      if (typeof r.message === 'string') body.message = r.message;
      else if (Array.isArray(r.message)) body.message = r.message.join('; ');
      if (Array.isArray(r.details)) body.details = r.details;
    } else if (typeof response === 'string') {
      body.message = response;
    }
    return body;
  }
  if (exception instanceof QueryFailedError) {
    const mapped = fromDatabase(exception);
    if (mapped) return mapped;
  }
  // Fastify's own errors (bad JSON, body too large, wrong content type) carry a statusCode.
  const fastifyError = exception as { statusCode?: number; message?: string; code?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: fastifyError.message ?? 'Bad request' };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  constructor(private readonly log?: ErrorLog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<Reply>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) this.logFailure(exception, http.getRequest<Request | undefined>());
    const headers = exception instanceof HttpException ? (exception as HttpException & { headers?: Record<string, string> }).headers : undefined;
    if (headers) for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(body.statusCode).send(body);
  }

  /** With the request's id, as its request line has it: no async context finds it for us. */
  private logFailure(exception: unknown, request: Request | undefined): void {
    const text = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    if (this.log && request?.id !== undefined) this.log.error({ reqId: request.id, context: 'Error' }, text);
    else this.logger.error(text);
  }
}
