import {
  Button,
  makeStyles,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  tokens,
  type MenuProps,
} from '@fluentui/react-components';
import { ChevronDown16Regular } from '@fluentui/react-icons';
import {
  ErrorFacetValue,
  ProviderFacetValue,
  SyncAgeBucket,
  VerdictFacetValue,
  type RosterFacets,
  type RosterFilter,
} from '../../../../shared/contract/index.ts';
import { ConnectionStatus, Role } from '../../../../shared/domain/platform.ts';
import { formatCount, ROLE_LABEL } from '../dashboard/progress.ts';
import { ERROR_LABEL, PROVIDER_LABEL, STATUS_LABEL, SYNC_AGE_LABEL, VERDICT_LABEL } from './labels.ts';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  count: {
    marginInlineStart: 'auto',
    paddingInlineStart: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
  },
  item: { display: 'flex', width: '100%' },
});

type FacetKey = 'status' | 'role' | 'provider' | 'error' | 'syncAge' | 'verdict';

interface FacetSpec {
  key: FacetKey;
  label: string;
  values: readonly string[];
  names: Record<string, string>;
}

const FACETS: readonly FacetSpec[] = [
  { key: 'status', label: 'Status', values: ConnectionStatus.options, names: STATUS_LABEL },
  { key: 'role', label: 'Role', values: Role.options, names: ROLE_LABEL },
  { key: 'provider', label: 'Provider', values: ProviderFacetValue.options, names: PROVIDER_LABEL },
  { key: 'error', label: 'Error', values: ErrorFacetValue.options, names: ERROR_LABEL },
  { key: 'syncAge', label: 'Last sync', values: SyncAgeBucket.options, names: SYNC_AGE_LABEL },
  // The latest verification (kept in the journal); a user may carry several of these values.
  { key: 'verdict', label: 'Verification', values: VerdictFacetValue.options, names: VERDICT_LABEL },
];

export interface FacetMenusProps {
  filter: RosterFilter;
  facets: RosterFacets | null;
  onChange(filter: RosterFilter): void;
}

/**
 * One menu of checkable values per facet, each with its count from the query (counts apply every
 * other filter, so they say what ticking the value would add).
 */
export function FacetMenus({ filter, facets, onChange }: FacetMenusProps) {
  const styles = useStyles();
  return (
    <div className={styles.row} role="group" aria-label="Filters">
      {FACETS.map((facet) => {
        const chosen = (filter[facet.key] as readonly string[] | undefined) ?? [];
        const counts = facets?.[facet.key] as Record<string, number> | undefined;
        const onCheckedValueChange: MenuProps['onCheckedValueChange'] = (_event, data) => {
          const picked = facet.values.filter((v) => data.checkedItems.includes(v));
          const next: RosterFilter = { ...filter };
          if (picked.length === 0) delete next[facet.key];
          else (next as Record<FacetKey, string[]>)[facet.key] = picked;
          onChange(next);
        };
        return (
          <Menu
            key={facet.key}
            checkedValues={{ [facet.key]: [...chosen] }}
            onCheckedValueChange={onCheckedValueChange}
            persistOnItemClick
          >
            <MenuTrigger disableButtonEnhancement>
              <Button
                appearance={chosen.length > 0 ? 'primary' : 'secondary'}
                icon={<ChevronDown16Regular />}
                iconPosition="after"
                data-testid={`facet-${facet.key}`}
              >
                {facet.label}
                {chosen.length > 0 ? ` (${chosen.length})` : ''}
              </Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {facet.values.map((value) => (
                  <MenuItemCheckbox key={value} name={facet.key} value={value}>
                    <span className={styles.item}>
                      {facet.names[value] ?? value}
                      <span className={styles.count}>{counts ? formatCount(counts[value] ?? 0) : ''}</span>
                    </span>
                  </MenuItemCheckbox>
                ))}
              </MenuList>
            </MenuPopover>
          </Menu>
        );
      })}
    </div>
  );
}
