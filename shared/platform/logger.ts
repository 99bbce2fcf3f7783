/**
 * Structured JSON logs for CloudWatch. Callers pass kinds, ids and counts only: never message text,
 * tokens or secrets. `metric` writes CloudWatch Embedded Metric Format, so no API call is needed.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  metric(name: string, value?: number): void;
}

export const METRIC_NAMESPACE = 'EstherPortfolio';

export function createJsonLogger(write: (line: string) => void = (line) => console.log(line), service = 'telegram-webhook'): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) => write(JSON.stringify({ level, service, message, ...fields }));
  return {
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
    metric(name, value = 1) {
      const _aws = { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: name, Unit: 'Count' }] }] };
      write(JSON.stringify({ _aws, service, [name]: value }));
    },
  };
}
