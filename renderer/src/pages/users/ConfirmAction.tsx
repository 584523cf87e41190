import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Textarea,
} from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';

export interface ConfirmActionProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Asks for a reason (kept with the action); the confirm button waits for one. */
  reasonLabel?: string;
  danger?: boolean;
  busy: boolean;
  onConfirm(reason: string): void;
  onCancel(): void;
}

/** "Are you sure?" for one action on one user: names the user and what happens, Escape cancels. */
export function ConfirmAction({
  title,
  children,
  confirmLabel,
  reasonLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: ConfirmActionProps) {
  const [reason, setReason] = useState('');
  const needsReason = reasonLabel !== undefined;
  const ready = !busy && (!needsReason || reason.trim().length > 0);
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => !data.open && onCancel()}>
      <DialogSurface aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) onConfirm(reason.trim());
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent>
              {children}
              {needsReason && (
                <Field label={reasonLabel} required>
                  <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
                </Field>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel} disabled={busy}>
                Cancel
              </Button>
              <Button
                appearance="primary"
                type="submit"
                disabled={!ready}
                data-testid="confirm-action"
                {...(danger ? { 'data-danger': 'true' } : {})}
              >
                {busy ? 'Working…' : confirmLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
