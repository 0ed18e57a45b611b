import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsSettings } from '../../config.js';
import type { Logger } from '../../core/logger.js';
import { errorLogFields } from '../../core/error-log.js';

/**
 * The Bot Framework adapter. With an app id it validates every inbound token (401 otherwise) and signs outbound
 * calls; without one (TEAMS_ALLOW_UNAUTHENTICATED=true only) authentication is off, for local development.
 */
export function createTeamsAdapter(teams: TeamsSettings, logger: Logger): CloudAdapter {
  const settings = {
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppTenantId: teams.tenantId ?? '',
    MicrosoftAppType: teams.appType,
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));
  adapter.onTurnError = async (context, error) => {
    logger.error({ ...errorLogFields(error), activityType: context.activity.type }, 'teams turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.').catch(() => undefined);
    }
  };
  return adapter;
}
