// Pipelines v3 (OpenAPI pipelines.json), read side: where a deal's stage says whether it is closed.
import { Hono } from 'hono';
import { objectScope, objectTypeParam, requireScope, type SandboxCore, type SandboxEnv } from '../core';
import { HubspotApiError } from '../errors';

export function pipelineRoutes(core: SandboxCore) {
  const pipelinesOf = (segment: string) => {
    const info = objectTypeParam(segment);
    return { info, pipelines: info.name === 'deals' ? core.pipelines : [] };
  };
  return new Hono<SandboxEnv>()
    .get('/crm/v3/pipelines/:objectType', (c) => {
      const { info, pipelines } = pipelinesOf(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      return c.json({ results: pipelines });
    })
    .get('/crm/v3/pipelines/:objectType/:pipelineId', (c) => {
      const { info, pipelines } = pipelinesOf(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      const pipeline = pipelines.find((p) => p.id === c.req.param('pipelineId'));
      if (!pipeline)
        throw new HubspotApiError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${c.req.param('pipelineId')}`);
      return c.json(pipeline);
    });
}
