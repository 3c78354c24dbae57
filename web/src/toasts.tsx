import { useBoard, useStore } from './store-context.js';

export function Toasts() {
  const { toasts } = useBoard();
  const store = useStore();
  return (
    <div className="toasts" data-testid="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          data-testid="toast"
          data-kind={toast.kind}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <div className="toast-body">
            <div>{toast.text}</div>
            {toast.hint ? <div className="toast-hint">{toast.hint}</div> : null}
          </div>
          <button className="icon" aria-label="Dismiss" onClick={() => store.dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
