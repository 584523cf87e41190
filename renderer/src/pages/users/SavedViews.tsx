import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
} from '@fluentui/react-components';
import { Delete16Regular, Eye20Regular, Save16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SavedView } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { usePermission } from '../../components/auth/auth-store.ts';
import { errorMessage } from '../../format/errors.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import type { UsersViewState } from '../../state/roster-url.ts';

export interface SavedViewsProps {
  view: UsersViewState;
  onApply(view: UsersViewState): void;
}

/** Built-in and saved views of the table: apply one, save the current one under a name, delete one's own. */
export function SavedViews({ view, onApply }: SavedViewsProps) {
  const client = useClient();
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  // Saved views are shared state: signed out on a real platform they can be opened, not saved or deleted.
  const mayChange = usePermission('change-shared');

  const load = useCallback(
    () =>
      client.views.list({}).then(
        (list) => {
          setViews(list);
          setFailure(null);
        },
        (error: unknown) => setFailure(errorMessage(error)),
      ),
    [client],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const notify = useNoticesStore((s) => s.push);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setNameError('Give the view a name.');
      return;
    }
    // Saving under an existing name replaces that view, as the operator would expect.
    const existing = views?.find((v) => !v.builtIn && v.name.toLowerCase() === trimmed.toLowerCase());
    try {
      await client.views.save({
        ...(existing ? { id: existing.id } : {}),
        name: trimmed,
        filter: view.filter,
        sort: view.sort,
      });
      setSaving(false);
      setName('');
      setNameError(null);
      await load();
    } catch (error) {
      // Keep the dialog open with the name typed, so nothing is lost.
      setNameError(errorMessage(error));
    }
  };

  const remove = async (target: SavedView) => {
    try {
      await client.views.delete({ id: target.id });
      await load();
    } catch (error) {
      notify({
        key: 'views-delete',
        intent: 'error',
        title: `“${target.name}” was not deleted`,
        message: errorMessage(error),
      });
    }
  };

  const own = views?.filter((v) => !v.builtIn) ?? [];
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button icon={<Eye20Regular />} data-testid="views-menu">
            Views
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {failure !== null && (
              <>
                <MenuItem disabled>Saved views are not available: {failure}</MenuItem>
                <MenuItem onClick={() => void load()}>Try again</MenuItem>
              </>
            )}
            {views !== null && views.length > 0 && (
              <MenuGroup>
                <MenuGroupHeader>Open a view</MenuGroupHeader>
                {views.map((v) => (
                  <MenuItem key={v.id} onClick={() => onApply({ filter: v.filter, sort: v.sort })}>
                    {v.name}
                  </MenuItem>
                ))}
              </MenuGroup>
            )}
            <MenuDivider />
            {!mayChange.allowed && mayChange.reason !== null && (
              <MenuItem disabled>{mayChange.reason}</MenuItem>
            )}
            <MenuItem
              icon={<Save16Regular />}
              disabled={failure !== null || !mayChange.allowed}
              onClick={() => setSaving(true)}
            >
              Save current view…
            </MenuItem>
            {own.length > 0 && mayChange.allowed && (
              <Menu>
                <MenuTrigger disableButtonEnhancement>
                  <MenuItem icon={<Delete16Regular />}>Delete a saved view</MenuItem>
                </MenuTrigger>
                <MenuPopover>
                  <MenuList>
                    {own.map((v) => (
                      <MenuItem key={v.id} onClick={() => void remove(v)}>
                        {v.name}
                      </MenuItem>
                    ))}
                  </MenuList>
                </MenuPopover>
              </Menu>
            )}
          </MenuList>
        </MenuPopover>
      </Menu>
      {saving && (
        <Dialog open={saving} onOpenChange={(_e, data) => setSaving(data.open)}>
          <DialogSurface>
            <form onSubmit={(e) => void save(e)}>
              <DialogBody>
                <DialogTitle>Save the current view</DialogTitle>
                <DialogContent>
                  <Field
                    label="Name"
                    validationMessage={nameError ?? undefined}
                    validationState={nameError ? 'error' : 'none'}
                  >
                    <Input value={name} maxLength={80} onChange={(_e, d) => setName(d.value)} autoFocus />
                  </Field>
                </DialogContent>
                <DialogActions>
                  <Button appearance="secondary" onClick={() => setSaving(false)}>
                    Cancel
                  </Button>
                  <Button appearance="primary" type="submit">
                    Save
                  </Button>
                </DialogActions>
              </DialogBody>
            </form>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}
