import { CfnOutput, Duration } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export const WEBHOOK_PATH = '/telegram/webhook';
export const HEALTH_PATH = '/portfolio/health';
/** HTTP APIs give up after 30 s; Telegram should never see that, so the webhook must end well before. */
export const MAX_WEBHOOK_TIMEOUT = Duration.seconds(25);

export interface WebhookApiProps {
  readonly webhook: IFunction & { readonly timeout?: Duration };
  readonly health: IFunction;
}

/** HTTP API: `POST /telegram/webhook` -> webhook function, `GET /portfolio/health` -> health function. */
export class WebhookApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const timeout = props.webhook.timeout;
    if (timeout && timeout.toSeconds() > MAX_WEBHOOK_TIMEOUT.toSeconds())
      throw new Error(`The webhook function timeout (${timeout.toSeconds()} s) must be at most ${MAX_WEBHOOK_TIMEOUT.toSeconds()} s`);

    this.api = new HttpApi(this, 'HttpApi', { description: 'Esther Portfolio: Telegram webhook and health check' });
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

    new CfnOutput(this, 'WebhookUrl', { description: 'Pass to setWebhook as url', value: `${this.api.apiEndpoint}${WEBHOOK_PATH}` });
    new CfnOutput(this, 'HealthUrl', { value: `${this.api.apiEndpoint}${HEALTH_PATH}` });
  }
}
