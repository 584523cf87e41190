import { create } from 'zustand';

interface UserDetailState {
  /** The user whose detail page is open from anywhere (the command palette), or null. */
  userId: string | null;
  open(userId: string): void;
  close(): void;
}

/** The one user detail opened from outside the Users table (Ctrl+K). */
export const useUserDetailStore = create<UserDetailState>()((set) => ({
  userId: null,
  open: (userId) => set({ userId }),
  close: () => set({ userId: null }),
}));
