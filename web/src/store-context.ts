import { createContext, useContext, useSyncExternalStore } from 'react';
import type { BoardState, BoardStore } from './board-store.js';

export const StoreContext = createContext<BoardStore | null>(null);

export function useStore(): BoardStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore needs a <StoreContext.Provider>');
  return store;
}

/** The board state, re-rendering the component when it changes. */
export function useBoard(): BoardState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
