// The features this bot runs. Adding one: a folder under src/features/, one line here, and its migration.
import type { Feature } from '../features/contract.js';
import { actionLogFeature } from '../features/action-log/index.js';
import { adminFeature } from '../features/admin/index.js';
import { cyclesFeature } from '../features/cycles/index.js';
import { disputesFeature } from '../features/disputes/index.js';
import { reviewsFeature } from '../features/reviews/index.js';
import { section11Feature } from '../features/section11/index.js';

export const features: readonly Feature[] = [cyclesFeature, actionLogFeature, disputesFeature, reviewsFeature, section11Feature, adminFeature];
