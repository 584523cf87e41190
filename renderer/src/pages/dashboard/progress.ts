import type { Role } from '../../../../shared/domain/platform.ts';

/** The one definition of progress lives in shared/ so the CLI's `migration` command says the same. */
export {
  formatShare,
  PROGRESS_DEFINITION,
  progressOf,
  REAUTHORIZED,
  TO_ACT,
  type Progress,
} from '../../../../shared/progress/migration-progress.ts';

export const ROLE_LABEL: Record<Role, string> = {
  student: 'Students',
  alumni: 'Alumni',
  career_center: 'Career center',
};

export const formatCount = (n: number): string => n.toLocaleString('en-US');
