import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, isMissingEndpoint } from "./api";

let nextId = 0;
/** A stable id for label/aria wiring. */
export function useId(prefix: string): string {
  const ref = useRef<string>();
  ref.current ??= `${prefix}-${++nextId}`;
  return ref.current;
}

/** A screen's heading; it takes focus when the screen opens, so keyboard and screen-reader users land on it. */
export function ScreenTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return <h1 tabIndex={-1} ref={ref}>{children}</h1>;
}

/** An error in words: the server's detail, each field's message, and what a 403 or 404 means here. */
export function ErrorMessage({ error, missing }: { error: unknown; missing?: string }) {
  if (!error) return null;
  if (missing && isMissingEndpoint(error)) return <p class="notice" role="status">{missing}</p>;
  const api = error instanceof ApiError ? error : undefined;
  const lead = api?.status === 403 ? "Your role does not allow this. " : "";
  return (
    <div class="error" role="alert">
      <p>{lead}{api ? api.detail : String((error as Error)?.message ?? error)}</p>
      {api && api.errors.length > 0 && (
        <ul>{api.errors.map((item) => <li>{item.path ? <code>{item.path}</code> : null} {item.message}</li>)}</ul>
      )}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; a late answer to an older request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setTick((value) => value + 1) };
}

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside and Escape closes it;
 * focus goes to the first field (or `[data-autofocus]`) and back to the opener on close.
 */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId("dialog-title");
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>("input, select, textarea, button");
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class={wide ? "wide" : undefined} aria-labelledby={titleId} onCancel={(event) => { event.preventDefault(); onClose(); }}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** A secret shown once (a new token or client secret), with a copy button. */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const inputId = useId("secret");
  const [copied, setCopied] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.select(), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      inputRef.current?.select();
    }
  }
  return (
    <div class="secret" role="region" aria-label={label}>
      <label for={inputId}>{label}</label>
      <p class="hint">Copy it now: Roster keeps only a hash and will not show it again.</p>
      <div class="row">
        <input id={inputId} ref={inputRef} readOnly value={value} class="mono" spellcheck={false} />
        <button type="button" onClick={copy}>{copied ? "Copied" : "Copy"}</button>
        <button type="button" class="secondary" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

/** A value the erase replaced: shown as redacted, not as the marker text. */
export function Value({ value }: { value: unknown }) {
  if (value === "[redacted]") return <span class="redacted">redacted</span>;
  if (value === null || value === undefined || value === "") return <span class="muted">—</span>;
  if (typeof value === "object") return <code>{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}

/** before/after of an audit entry as key: value pairs. */
export function Changes({ values }: { values?: Record<string, unknown> }) {
  if (!values || typeof values !== "object" || Object.keys(values).length === 0) return null;
  return (
    <dl class="changes">
      {Object.entries(values).map(([key, value]) => (
        <>
          <dt>{key}</dt>
          <dd>{typeof value === "object" && value !== null && !Array.isArray(value) ? <Changes values={value as Record<string, unknown>} /> : <Value value={value} />}</dd>
        </>
      ))}
    </dl>
  );
}
