import { Hono } from 'hono';
import type { PipedriveEnv, SandboxCompany } from './company';
import { badRequest, notFound } from './envelope';
import { v1Time } from './format';
import type { StoredItem } from './store';

// Users (v1): find by name or email, the token's own user with its company, one user by id.

const userView = (item: StoredItem) => ({
  id: Number(item.id),
  ...item.data,
  created: v1Time(item.addTime),
  modified: v1Time(item.updateTime),
});

export function userRoutes(company: SandboxCompany) {
  const users = new Hono<PipedriveEnv>();

  users.get('/api/v1/users/find', async (c) => {
    const term = (c.req.query('term') ?? '').trim().toLowerCase();
    if (!term) throw badRequest('term is required');
    const byEmail = c.req.query('search_by_email') === '1' || c.req.query('search_by_email') === 'true';
    const found = (await company.store.list('user')).filter((u) =>
      String(byEmail ? u.data.email : u.data.name)
        .toLowerCase()
        .includes(term),
    );
    return c.json({ success: true, data: found.map(userView) });
  });

  users.get('/api/v1/users/me', async (c) => {
    const me = await company.store.get('user', String(c.get('userId')));
    if (!me) throw notFound('User');
    return c.json({
      success: true,
      data: {
        ...userView(me),
        company_id: company.companyId,
        company_name: company.companyName,
        company_domain: company.companyDomain,
        language: { language_code: 'en', country_code: 'US' },
      },
    });
  });

  users.get('/api/v1/users/:id{[0-9]+}', async (c) => {
    const user = await company.store.get('user', c.req.param('id'));
    if (!user) throw notFound('User');
    return c.json({ success: true, data: userView(user) });
  });

  return users;
}
