import { create } from 'zustand';

export interface Notice {
  /** Same key, same notice: a repeated failure replaces the old one instead of stacking. */
  key: string;
  intent: 'error' | 'warning' | 'info' | 'success';
  title: string;
  message: string;
}

interface NoticesState {
  notices: Notice[];
  push(notice: Notice): void;
  dismiss(key: string): void;
}

/** Messages shown above the page content until the operator dismisses them. */
export const useNoticesStore = create<NoticesState>()((set) => ({
  notices: [],
  push: (notice) => set((s) => ({ notices: [...s.notices.filter((n) => n.key !== notice.key), notice] })),
  dismiss: (key) => set((s) => ({ notices: s.notices.filter((n) => n.key !== key) })),
}));
