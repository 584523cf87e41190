import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

export type FormOutcome = { kind: 'saved'; message: string } | { kind: 'failed'; message: string } | null;

/** The result of the last save, announced politely to screen readers. */
export function FormStatus({ outcome }: { outcome: FormOutcome }) {
  if (outcome === null) return null;
  return (
    <MessageBar intent={outcome.kind === 'saved' ? 'success' : 'error'} layout="multiline" role="status">
      <MessageBarBody>
        {outcome.kind === 'failed' && <MessageBarTitle>Not saved</MessageBarTitle>}
        {outcome.message}
      </MessageBarBody>
    </MessageBar>
  );
}
