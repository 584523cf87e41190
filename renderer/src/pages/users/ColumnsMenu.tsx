import {
  Button,
  Menu,
  MenuDivider,
  MenuItem,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  type MenuCheckedValueChangeData,
} from '@fluentui/react-components';
import { ColumnTriple20Regular } from '@fluentui/react-icons';
import { COLUMNS } from './columns.ts';

export interface ColumnsMenuProps {
  /** Ids of the columns shown. */
  shown: readonly string[];
  onChange(shown: readonly string[]): void;
  onReset(): void;
}

/** Show or hide the Users table's columns; the choice is remembered in the preferences. */
export function ColumnsMenu({ shown, onChange, onReset }: ColumnsMenuProps) {
  return (
    <Menu
      checkedValues={{ columns: [...shown] }}
      onCheckedValueChange={(_e, data: MenuCheckedValueChangeData) => onChange(data.checkedItems)}
    >
      <MenuTrigger disableButtonEnhancement>
        <Button icon={<ColumnTriple20Regular />} data-testid="columns-menu">
          Columns
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {COLUMNS.map((column) => (
            <MenuItemCheckbox
              key={column.id}
              name="columns"
              value={column.id}
              disabled={column.id === 'name'}
            >
              {column.label}
            </MenuItemCheckbox>
          ))}
          <MenuDivider />
          <MenuItem onClick={onReset}>Reset columns (sizes and choice)</MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
