// Deal pipelines as `GET /crm/v3/pipelines/deals` returns them (OpenAPI schema `Pipeline`). The
// default is HubSpot's stock "Sales Pipeline"; stage metadata carries `isClosed` and
// `probability` as strings, which is how a client tells an open deal from a closed one.

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PipelineSpec {
  id: string;
  label: string;
  stages: { id: string; label: string; probability: number; closed?: boolean }[];
}

export const DEFAULT_DEAL_PIPELINE: PipelineSpec = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: 0.2 },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: 0.4 },
    { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: 0.6 },
    { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: 0.8 },
    { id: 'contractsent', label: 'Contract Sent', probability: 0.9 },
    { id: 'closedwon', label: 'Closed Won', probability: 1, closed: true },
    { id: 'closedlost', label: 'Closed Lost', probability: 0, closed: true },
  ],
};

const EPOCH = '2020-01-01T00:00:00.000Z';

export function buildPipelines(specs: PipelineSpec[]): Pipeline[] {
  return specs.map((p, i) => ({
    id: p.id,
    label: p.label,
    displayOrder: i,
    archived: false,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    stages: p.stages.map((s, j) => ({
      id: s.id,
      label: s.label,
      displayOrder: j,
      metadata: { isClosed: String(s.closed === true), probability: s.probability.toFixed(1) },
      archived: false,
      createdAt: EPOCH,
      updatedAt: EPOCH,
    })),
  }));
}

export function findStage(pipelines: Pipeline[], pipelineId: string, stageId: string): PipelineStage | null {
  return pipelines.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId) ?? null;
}
