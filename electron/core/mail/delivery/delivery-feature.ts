import type { Feature } from '../../feature.ts';
import type { Handlers } from '../../ipc/dispatcher.ts';
import type { JobEngine, JobKind } from '../../jobs/job-engine.ts';
import type { Logger } from '../../log/logger.ts';
import type { MailComposer } from '../mail-feature.ts';
import type { AnnouncementRepository } from '../template-repository.ts';
import { createDeliveryKind, type DeliveryGraph, type DeliveryPlatform } from './delivery-kind.ts';
import { DeliveryService } from './delivery-service.ts';

export const DELIVERY_METHODS = [
  'mail.planDelivery',
  'mail.testSend',
  'mail.startDelivery',
  'mail.delivery',
] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** The two delivery kinds for one workspace's job engine (its platform, the operator's Graph). */
export function createDeliveryKinds(options: {
  platform: DeliveryPlatform;
  graph: DeliveryGraph;
  composer: MailComposer;
  announcements: () => AnnouncementRepository;
  logger: Logger;
}): JobKind[] {
  return (['send', 'drafts'] as const).map((mode) => createDeliveryKind({ ...options, mode }));
}

export interface DeliveryFeatureOptions {
  logger: Logger;
  composer: MailComposer;
  /** The current data source's job engine (its journal), null before one is open. */
  engine: () => JobEngine | null;
  /** The operator's Graph for the current data source. */
  graph: () => DeliveryGraph;
}

export interface DeliveryFeature extends Feature<DeliveryMethod> {
  readonly service: DeliveryService;
}

/** Announcement delivery through Graph (send, drafts) as jobs, the plan before it, and a test send to oneself. */
export function createDeliveryFeature(options: DeliveryFeatureOptions): DeliveryFeature {
  const service = new DeliveryService(options);
  const handlers: Pick<Handlers, DeliveryMethod> = {
    'mail.planDelivery': (input, call) => service.plan(input, call.signal),
    'mail.testSend': (input, call) => service.testSend(input, call),
    'mail.startDelivery': (input, call) => service.start(input, call),
    'mail.delivery': ({ id }) => service.status(id),
  };
  return { name: 'mail-delivery', handlers, service };
}
