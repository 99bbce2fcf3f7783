import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../../../shared/platform/logger';
import { METRIC, METRIC_NAMESPACE, metrics } from '../../../shared/platform/metrics';
import { captureOutput } from '../../support/captured-output';

describe('the platform logger and metrics (Powertools)', () => {
  it('writes one JSON object per line with level, message, service and timestamp, and the given fields', () => {
    const output = captureOutput();

    logger.info('update refused', { kind: 'invalid-address', updateId: 7 });
    logger.warn('w');
    logger.error('e', { errorName: 'TypeError' });
    output.restore();

    expect(output.json()).toEqual([
      {
        level: 'INFO',
        message: 'update refused',
        service: 'esther-portfolio',
        timestamp: expect.any(String),
        kind: 'invalid-address',
        updateId: 7,
        sampling_rate: 0,
      },
      { level: 'WARN', message: 'w', service: 'esther-portfolio', timestamp: expect.any(String), sampling_rate: 0 },
      {
        level: 'ERROR',
        message: 'e',
        service: 'esther-portfolio',
        timestamp: expect.any(String),
        errorName: 'TypeError',
        sampling_rate: 0,
      },
    ]);
  });

  it('honours LOG_LEVEL: below it nothing is written', () => {
    const saved = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'WARN';
    const output = captureOutput();

    const quiet = new Logger({ serviceName: 'esther-portfolio' });
    quiet.info('not shown');
    quiet.warn('shown');
    output.restore();
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;

    expect(output.json().map((line) => line.message)).toEqual(['shown']);
  });

  it('publishes a counted metric as one EMF line in the EstherPortfolio namespace with the service dimension', () => {
    const output = captureOutput();

    metrics.addMetric(METRIC.duplicateUpdates, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics();
    output.restore();

    expect(METRIC_NAMESPACE).toBe('EstherPortfolio');
    expect(output.json()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'EstherPortfolio',
              Dimensions: [['service']],
              Metrics: [{ Name: 'DuplicateUpdates', Unit: 'Count' }],
            },
          ],
        },
        service: 'esther-portfolio',
        DuplicateUpdates: 1,
      },
    ]);
  });

  describe('in a deployed function', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.resetModules();
    });

    it("publishes in the stage's namespace that CDK sets (POWERTOOLS_METRICS_NAMESPACE), where the alarms look", async () => {
      vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'EstherPortfolio/prod');
      vi.resetModules();
      const deployed = await import('../../../shared/platform/metrics');
      const output = captureOutput();

      deployed.metrics.addMetric('SyncCyclesCompleted', MetricUnit.Count, 1);
      deployed.metrics.publishStoredMetrics();
      output.restore();

      expect(output.json()).toEqual([
        expect.objectContaining({
          _aws: expect.objectContaining({
            CloudWatchMetrics: [
              {
                Namespace: 'EstherPortfolio/prod',
                Dimensions: [['service']],
                Metrics: [{ Name: 'SyncCyclesCompleted', Unit: 'Count' }],
              },
            ],
          }),
          service: 'esther-portfolio',
          SyncCyclesCompleted: 1,
        }),
      ]);
    });
  });
});
