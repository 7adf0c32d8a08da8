const object = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A session's sections, each with the ids of its instances, as the Flask app stored them in
 * session_data (adopted sessions have them): `{sections: [{name, exercises|activities:
 * [{instance_id}], instanceIds?}]}`. Sessions that keep their sections as rows are read from those.
 */
export function sessionSections(sessionData: unknown): { name: string; instanceIds: string[] }[] {
  const data = typeof sessionData === 'string' ? safeParse(sessionData) : sessionData;
  return list(object(data)?.sections).flatMap((raw, i) => {
    const s = object(raw);
    if (!s) return [];
    const ids = [...list(s.exercises), ...list(s.activities)].map((e) => object(e)?.instance_id ?? object(e)?.instanceId);
    ids.push(...list(s.instanceIds));
    const name = typeof s.name === 'string' && s.name.trim() ? s.name.trim() : `Section ${i + 1}`;
    return [{ name, instanceIds: ids.filter((x): x is string => typeof x === 'string') }];
  });
}
