import { useEffect, useRef, useState } from "preact/hooks";
import type { ScimUser } from "./format";
import { suggestPeople } from "./people";
import { useId } from "./ui";

/**
 * A text field for an active person's user name, with suggestions from the server as the
 * administrator types (a native datalist: keyboard and screen readers handle it).
 */
export function PersonPicker({ tenant, label, value, onChange, placeholder }: { tenant: string; label: string; value: string; onChange: (userName: string) => void; placeholder?: string }) {
  const inputId = useId("picker");
  const listId = useId("picker-list");
  const [options, setOptions] = useState<ScimUser[]>([]);
  const timer = useRef<number>();
  useEffect(() => {
    window.clearTimeout(timer.current);
    if (!value.trim()) return setOptions([]);
    timer.current = window.setTimeout(() => {
      suggestPeople(tenant, value).then(setOptions, () => setOptions([]));
    }, 200);
    return () => window.clearTimeout(timer.current);
  }, [tenant, value]);
  return (
    <span class="picker">
      <label for={inputId} class="visually-hidden">{label}</label>
      <input id={inputId} list={listId} value={value} placeholder={placeholder ?? "user name"} autocomplete="off" spellcheck={false} onInput={(event) => onChange(event.currentTarget.value)} />
      <datalist id={listId}>
        {options.map((user) => <option value={user.userName}>{user.displayName ?? user.userName}</option>)}
      </datalist>
    </span>
  );
}
