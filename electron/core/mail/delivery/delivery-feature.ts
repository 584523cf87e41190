import { ConsoleError } from '../../../../shared/contract/errors.ts';
import type { Feature } from '../../feature.ts';
import type { Handlers } from '../../ipc/dispatcher.ts';

export const DELIVERY_METHODS = [
  'mail.planDelivery',
  'mail.testSend',
  'mail.startDelivery',
  'mail.delivery',
] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Delivery through Graph (send and drafts) as jobs. Being built: the contract is settled first. */
export function createDeliveryFeature(): Feature<DeliveryMethod> {
  const notYet = (): never => {
    throw new ConsoleError('unavailable', 'Sending and drafts are not available in this build yet.');
  };
  const handlers: Pick<Handlers, DeliveryMethod> = {
    'mail.planDelivery': notYet,
    'mail.testSend': notYet,
    'mail.startDelivery': notYet,
    'mail.delivery': notYet,
  };
  return { name: 'mail-delivery', handlers };
}
