import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export const WEBHOOK_PATH = '/telegram/webhook';
export const HEALTH_PATH = '/portfolio/health';
/** The Mini App API's routes (shared/miniapp/miniapp-api.ts API_PREFIX). */
export const MINIAPP_API_PATH = '/miniapp/api';
/** HTTP APIs give up after 30 s; Telegram should never see that, so the webhook must end well before. */
export const MAX_WEBHOOK_TIMEOUT = Duration.seconds(25);

export interface WebhookApiProps {
  readonly webhook: IFunction & { readonly timeout?: Duration };
  readonly health: IFunction;
  /** GET, PUT and POST `/miniapp/api/{proxy+}`: the Mini App's API (CloudFront forwards the same paths). */
  readonly miniAppApi: IFunction;
  /** Stage-wide steady-state requests per second (CDK context `apiThrottleRateLimit`). */
  readonly throttleRateLimit: number;
  /** Stage-wide burst (CDK context `apiThrottleBurstLimit`). */
  readonly throttleBurstLimit: number;
}

/**
 * HTTP API: `POST /telegram/webhook` -> webhook function, `GET /portfolio/health` -> health function,
 * `GET|PUT|POST /miniapp/api/{proxy+}` -> the Mini App API function.
 * One `$default` stage with stage-wide throttling (429 above it) and JSON access logs (request id,
 * source IP, route, status, latency; never a header or body, so no secret or message text).
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const timeout = props.webhook.timeout;
    if (timeout && timeout.toSeconds() > MAX_WEBHOOK_TIMEOUT.toSeconds())
      throw new Error(
        `The webhook function timeout (${timeout.toSeconds()} s) must be at most ${MAX_WEBHOOK_TIMEOUT.toSeconds()} s`,
      );

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Esther Portfolio: Telegram webhook, health check and Mini App API',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('TelegramWebhook', props.webhook),
    });
    this.api.addRoutes({
      path: HEALTH_PATH,
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('Health', props.health),
    });

    this.api.addRoutes({
      path: `${MINIAPP_API_PATH}/{proxy+}`,
      methods: [HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST],
      integration: new HttpLambdaIntegration('MiniAppApi', props.miniAppApi),
    });

    new CfnOutput(this, 'WebhookUrl', {
      description: 'The URL the stack registers with Telegram (setWebhook); compare with getWebhookInfo',
      value: `${this.api.apiEndpoint}${WEBHOOK_PATH}`,
    });
    new CfnOutput(this, 'HealthUrl', { value: `${this.api.apiEndpoint}${HEALTH_PATH}` });
  }
}
