import { Field, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { ThemeName } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { useNoticesStore } from '../../state/notices-store.ts';
import { usePreferencesStore } from '../../state/preferences-store.ts';
import { THEME_CHOICES } from '../../theme/resolve-theme.ts';
import { FormStatus, type FormOutcome } from './FormStatus.tsx';

const useStyles = makeStyles({
  // Fluent greys an unchecked radio's label (foreground 3), which reads as disabled: every choice
  // is available, so every label is in the normal text colour.
  // (Fluent's own rule is input:enabled:not(:checked) ~ label; one element selector more wins.)
  radio: {
    '& input:enabled:not(:checked) ~ .fui-Radio__label': { color: tokens.colorNeutralForeground1 },
    '& input:enabled:not(:checked):hover ~ .fui-Radio__label': { color: tokens.colorNeutralForeground1 },
  },
  description: { display: 'block', color: tokens.colorNeutralForeground2 },
});

/** Applies the theme the moment it is picked and saves it with the operator's preferences. */
export function ThemePicker() {
  const styles = useStyles();
  const client = useClient();
  const theme = usePreferencesStore((s) => s.preferences?.theme ?? 'system');
  const setTheme = usePreferencesStore((s) => s.setTheme);
  const push = useNoticesStore((s) => s.push);
  const dismiss = useNoticesStore((s) => s.dismiss);
  const [outcome, setOutcome] = useState<FormOutcome>(null);

  const onChange = (value: string): void => {
    const parsed = ThemeName.safeParse(value);
    if (!parsed.success) return;
    setOutcome(null);
    void setTheme(client, parsed.data).then((result) => {
      if (result.ok) {
        dismiss('theme-save');
        setOutcome({ kind: 'saved', message: 'Saved.' });
      } else
        push({
          key: 'theme-save',
          intent: 'error',
          title: 'The theme was not saved',
          message: result.message,
        });
    });
  };

  return (
    <Field label="Theme" hint="Changes apply at once and are remembered on this computer.">
      <RadioGroup value={theme} onChange={(_, data) => onChange(data.value)}>
        {THEME_CHOICES.map((choice) => (
          <Radio
            key={choice.value}
            value={choice.value}
            data-testid={`theme-${choice.value}`}
            className={styles.radio}
            label={
              <>
                {choice.label}
                <Text size={200} className={styles.description}>
                  {choice.description}
                </Text>
              </>
            }
          />
        ))}
      </RadioGroup>
      <FormStatus outcome={outcome} />
    </Field>
  );
}
