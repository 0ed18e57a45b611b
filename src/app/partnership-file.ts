import type { PartnershipConfig } from '../directory/partnership-file-schema.js';
import { loadPartnershipConfig, parsePartnershipConfig } from '../directory/load-config.js';
import type { Feature } from '../features/contract.js';
import { features as allFeatures } from './features.js';
import { configSectionsOf } from './install-features.js';

/** Reads a partnership file with every feature's section (e.g. `plans:`), as the bot does at start. */
export function loadPartnershipFile(filePath: string, features: readonly Feature[] = allFeatures): Promise<PartnershipConfig> {
  return loadPartnershipConfig(filePath, configSectionsOf(features));
}

export function parsePartnershipFile(text: string, fileName: string, features: readonly Feature[] = allFeatures): PartnershipConfig {
  return parsePartnershipConfig(text, fileName, configSectionsOf(features));
}
