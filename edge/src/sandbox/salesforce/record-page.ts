import { Hono } from 'hono';
import { html } from 'hono/html';
import { normaliseId } from './ids';
import type { SalesforceEnv, SandboxOrg } from './org';
import { recordView } from './records';

// GET /lightning/r/{Type}/{id}/view: the record links the adapter returns open a plain page of
// the record's fields, so the demo's "open in Salesforce" links lead somewhere. Local use only.

export function recordPages(org: SandboxOrg) {
  const pages = new Hono<SalesforceEnv>();
  pages.get('/lightning/r/:type/:id/view', async (c) => {
    const id = normaliseId(c.req.param('id'));
    const record = id ? await org.store.get(id) : null;
    const object = record ? org.schema.get(record.type) : undefined;
    if (!record || !object || record.type !== c.req.param('type')) return c.html(html`<h1>Record not found</h1>`, 404);
    const view = recordView(object, record, `v${org.maxApiVersion}.0`);
    const rows = Object.entries(view)
      .filter(([name, value]) => name !== 'attributes' && value !== null)
      .map(
        ([name, value]) =>
          html`<tr>
            <th>${name}</th>
            <td>${String(value)}</td>
          </tr>`,
      );
    return c.html(
      html`<!doctype html>
        <title>${object.name} ${record.id} · Salesforce sandbox</title>
        <h1>${object.name}: ${String(view.Name ?? view.Subject ?? record.id)}</h1>
        <table>
          ${rows}
        </table>`,
    );
  });
  return pages;
}
