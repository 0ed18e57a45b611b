import {
  CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext,
} from 'botbuilder';
import type { TeamsSettings } from '../../config.js';
import type { Logger } from '../../core/logger.js';
import { errorLogFields } from '../../core/error-log.js';

/**
 * CloudAdapter with its authenticate-and-run step exposed, so /api/messages decides the HTTP answer itself:
 * CloudAdapter.process answers a token the JWT library rejects with 500 and that library's error text.
 */
export class TeamsAdapter extends CloudAdapter {
  /** Validates `authHeader` (throws for a bad token) and runs `logic` for the activity; the invoke answer, if any. */
  receive(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The Bot Framework adapter. With an app id it validates every inbound token (401 otherwise) and signs outbound
 * calls; without one (TEAMS_ALLOW_UNAUTHENTICATED=true only) authentication is off, for local development.
 */
export function createTeamsAdapter(teams: TeamsSettings, logger: Logger): TeamsAdapter {
  const settings = {
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppTenantId: teams.tenantId ?? '',
    MicrosoftAppType: teams.appType,
    ...inboundTokenSettings(teams),
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const adapter = new TeamsAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));
  adapter.onTurnError = async (context, error) => {
    logger.error({ ...errorLogFields(error), activityType: context.activity.type }, 'teams turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.').catch(() => undefined);
    }
  };
  return adapter;
}

/**
 * botbuilder's settings for a custom inbound token source. Given any one of these it uses none of its public cloud
 * defaults, so the rest are those defaults (botframework-connector's AuthenticationConstants) spelt out.
 */
function inboundTokenSettings(teams: TeamsSettings): Record<string, string> {
  if (!teams.openIdMetadataUrl && !teams.tokenIssuer) return {};
  return {
    ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    ToBotFromChannelTokenIssuer: teams.tokenIssuer ?? 'https://api.botframework.com',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}
