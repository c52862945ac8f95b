'use strict';
/*
 * The official @literalai/client 0.1.5, unchanged, used as a TypeScript application would use it,
 * against the server at LITERAL_API_URL with LITERAL_API_KEY (tests/compat/test_ts_client.py runs it).
 *
 * Each section records what the client returned into `result`; the Python test asserts on it and
 * reads the same data back through GraphQL. A section that throws is recorded under `failures`,
 * and everything the client logs with console.error (wrapped steps and threads are sent
 * fire-and-forget, so their failures are only logged) under `consoleErrors`: both must stay empty.
 *
 * Usage: node scenario.js <attachment file>  ->  prints one line "RESULT <json>".
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { ChatGeneration, LiteralClient, Score } = require('@literalai/client');

const consoleErrors = [];
const logError = console.error.bind(console);
console.error = (...args) => {
  consoleErrors.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' '));
  logError(...args);
};

const filePath = process.argv[2];
const fileBytes = fs.readFileSync(filePath);
const client = new LiteralClient({
  apiKey: process.env.LITERAL_API_KEY,
  apiUrl: process.env.LITERAL_API_URL
});
const api = client.api;
const result = { failures: {} };
const uid = () => crypto.randomUUID();
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

/** Poll `fn` until it returns a truthy value: wrapped steps are sent in the background. */
async function waitFor(what, fn, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET a URL without any header (as a browser would) and describe what came back. */
async function download(url) {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get('content-type'),
           sha256: sha256(body), length: body.length };
}

const stepView = (s) => ({
  id: s.id, type: s.type, name: s.name, parentId: s.parentId ?? null, threadId: s.threadId ?? null,
  rootRunId: s.rootRunId ?? null, input: s.input ?? null, output: s.output ?? null,
  metadata: s.metadata ?? null, tags: s.tags ?? null, error: s.error ?? null,
  generation: s.generation ?? null, scores: s.scores ?? [],
  attachments: (s.attachments ?? []).map((a) => ({ ...a }))
});

async function users() {
  const identifier = `ts-user-${uid()}`;
  const user = await api.createUser(identifier, { plan: 'pro' });
  const updated = await api.updateUser(user.id, identifier, { plan: 'team' });
  const fetched = await api.getUser(identifier);
  const listed = await api.getUsers({ first: 5, filters: [{ field: 'identifier', operator: 'in', value: [identifier] }] });
  const existingId = await api.getOrCreateUser(identifier);
  const other = await api.createUser(`ts-other-${uid()}`);
  const deletedId = await api.deleteUser(other.id);
  result.users = {
    identifier, id: user.id, createdMetadata: user.metadata, updatedMetadata: updated.metadata,
    fetchedId: fetched?.id, listedIds: listed.data.map((u) => u.id), listedTotal: listed.totalCount,
    getOrCreateId: existingId, deletedId, deletedReadsBack: (await api.getUser(other.identifier)) ?? null
  };
}

/** A conversation traced with thread.wrap / run.wrap / step.wrap, with an attachment on the LLM step. */
async function tracedConversation() {
  const threadId = uid();
  const ids = {};
  let attachment;
  await client.thread({ id: threadId, name: 'Weather chat', participantId: result.users.id,
                        tags: ['ts'], metadata: { channel: 'web' } }).wrap(async () => {
    ids.user = (await client.step({ type: 'user_message', name: 'User', output: { content: 'Weather in Paris?' } }).send()).id;
    await client.run({ name: 'Agent', input: { content: 'Weather in Paris?' } }).wrap(async (run) => {
      ids.run = run.id;
      await client.step({ type: 'tool', name: 'lookup', input: { city: 'Paris' } }).wrap(async (tool) => {
        ids.tool = tool.id;
        return { temperature: 21 };
      });
      const generation = new ChatGeneration({
        provider: 'openai', model: 'gpt-4o-mini',
        messages: [{ role: 'system', content: 'You report the weather.' }, { role: 'user', content: 'Paris: 21C' }],
        messageCompletion: { role: 'assistant', content: 'It is 21C and sunny in Paris.' },
        inputTokenCount: 14, outputTokenCount: 9, settings: { temperature: 0 }
      });
      await client.step({ type: 'llm', name: 'gpt-4o-mini', generation }).wrap(async (llm) => {
        ids.llm = llm.id;
        attachment = await api.createAttachment({ content: fileBytes, mime: 'image/png', name: 'chart.png',
                                                  metadata: { kind: 'chart' } });
        await llm.step({ type: 'retrieval', name: 'cache', input: { key: 'paris' }, output: { hit: true } }).send()
          .then((s) => { ids.nested = s.id; });
        return { content: 'It is 21C and sunny in Paris.' };
      });
      return { content: 'It is 21C and sunny in Paris.' };
    });
    ids.assistant = (await client.step({ type: 'assistant_message', name: 'Bot',
                                         output: { content: 'It is 21C and sunny in Paris.' } }).send()).id;
  });
  const thread = await waitFor('the wrapped thread and its 6 steps', async () => {
    const t = await api.getThread(threadId);
    const withAttachment = t?.steps?.find((s) => s.id === ids.llm)?.attachments?.length;
    return t && t.name === 'Weather chat' && t.steps.length === 6 && withAttachment ? t : null;
  });
  result.trace = {
    threadId, ids, attachment: { ...attachment },
    thread: { id: thread.id, name: thread.name, tags: thread.tags, metadata: thread.metadata,
              participant: thread.participant ?? null },
    steps: thread.steps.map(stepView),
    attachmentDownload: await download(attachment.url)
  };
}

/** createAttachment from a file path outside any step, then put it on a run sent with .send(). */
async function attachmentFromPath() {
  const attachment = await api.createAttachment({ path: filePath, mime: 'image/png', name: path.basename(filePath),
                                                  metadata: { source: 'path' } });
  const step = await client.run({ name: 'With file', attachments: [attachment] }).send();
  const fetched = await api.getStep(step.id);
  result.pathAttachment = { attachment: { ...attachment }, stepId: step.id,
                            fetched: (fetched?.attachments ?? []).map((a) => ({ ...a })),
                            download: await download(fetched.attachments[0].url) };
}

async function threads() {
  const a = await api.upsertThread({ threadId: uid(), name: 'alpha', metadata: { n: 1 }, tags: ['keep'] });
  const b = await api.upsertThread(uid(), 'beta', { n: 2 }, result.users.id, ['keep', 'other']);
  const renamed = await api.upsertThread({ threadId: a.id, name: 'alpha 2', tags: ['keep', 'renamed'] });
  const future = new Date(Date.now() + 3600e3).toISOString();
  const page1 = await api.getThreads({ first: 1, filters: [{ field: 'tags', operator: 'in', value: ['keep'] }],
                                       orderBy: { column: 'createdAt', direction: 'DESC' } });
  const page2 = await api.getThreads({ first: 1, after: page1.pageInfo.endCursor,
                                       filters: [{ field: 'tags', operator: 'in', value: ['keep'] }],
                                       orderBy: { column: 'createdAt', direction: 'DESC' } });
  const afterNow = await api.getThreads({ first: 5, filters: [{ field: 'createdAt', operator: 'gt', value: future }] });
  const byUser = await api.getThreads({ filters: [{ field: 'participantId', operator: 'eq', value: result.users.id }] });
  const byName = await api.getThreads({ filters: [{ field: 'name', operator: 'ilike', value: 'ALPHA' }] });
  const deletedId = await api.deleteThread(b.id);
  result.threads = {
    a: a.id, b: b.id, created: { name: a.name, metadata: a.metadata, tags: a.tags },
    renamed: { name: renamed.name, metadata: renamed.metadata, tags: renamed.tags },
    page1: page1.data.map((t) => t.id), page2: page2.data.map((t) => t.id), total: page1.totalCount,
    hasNext: [page1.pageInfo.hasNextPage, page2.pageInfo.hasNextPage],
    afterNow: afterNow.data.length, byUser: byUser.data.map((t) => t.id), byName: byName.data.map((t) => t.id),
    deletedId, deletedReadsBack: await api.getThread(b.id)
  };
}

async function stepsAndGenerations() {
  const thread = client.thread({ id: uid() });
  const step = await thread.step({ name: 'tagged', type: 'run', tags: ['to_score'], error: 'boom',
                                   metadata: { foo: 'bar' } }).send();
  const found = await api.getSteps({ first: 5, filters: [{ field: 'id', operator: 'eq', value: step.id },
                                                          { field: 'tags', operator: 'in', value: ['to_score'] }] });
  const generation = await api.createGeneration({ provider: 'test', model: 'ts-model', promptId: undefined,
                                                  messages: [{ role: 'user', content: 'Hello' }],
                                                  messageCompletion: { role: 'assistant', content: 'Hi!' } });
  const latest = await api.getGenerations({ first: 1, orderBy: { column: 'createdAt', direction: 'DESC' } });
  const byModel = await api.getGenerations({ filters: [{ field: 'model', operator: 'eq', value: 'ts-model' }] });
  const fetched = await api.getStep(step.id);
  const deletedId = await api.deleteStep(step.id);
  result.steps = {
    stepId: step.id, threadId: thread.id, found: found.data.map((s) => s.id),
    fetched: fetched && { error: fetched.error, metadata: fetched.metadata, tags: fetched.tags, threadId: fetched.threadId },
    deletedId, deletedReadsBack: await api.getStep(step.id),
    generationStepId: generation.id, generationStep: stepView(generation),
    latestGeneration: latest.data.map((g) => ({ id: g.id, model: g.model, provider: g.provider, type: g.type,
                                                  messageCompletion: g.messageCompletion })),
    byModel: byModel.data.map((g) => g.id)
  };
}

async function scores() {
  const step = await client.thread({ id: uid() }).step({ name: 'scored', type: 'run' }).send();
  const score = await api.createScore({ stepId: step.id, name: 'user-feedback', type: 'HUMAN', value: 1, comment: 'good' });
  const updated = await api.updateScore(score.id, { comment: 'updated', value: 0 });
  const batch = await api.createScores([
    new Score({ stepId: step.id, name: 'Similarity', type: 'AI', value: 0.9234, comment: 'auto' }),
    new Score({ generationId: step.id, name: 'Factuality', type: 'AI', value: 1, scorer: 'openai:gpt-4o' })
  ]);
  const listed = await api.getScores({ first: 10, filters: [{ field: 'name', operator: 'eq', value: 'Similarity' }],
                                       orderBy: { column: 'createdAt', direction: 'DESC' } });
  const deleted = await api.deleteScore(batch[0].id);
  const afterDelete = await api.getScores({ filters: [{ field: 'name', operator: 'eq', value: 'Similarity' }] });
  result.scores = {
    stepId: step.id, created: { id: score.id, comment: score.comment, value: score.value, type: score.type },
    updated: { comment: updated.comment, value: updated.value },
    batch: batch.map((s) => ({ id: s.id, name: s.name, value: s.value, scorer: s.scorer ?? null })),
    listed: listed.data.map((s) => ({ id: s.id, stepId: s.stepId ?? null, value: s.value })),
    deleted: deleted?.id ?? deleted, afterDelete: afterDelete.data.length
  };
}

async function datasets() {
  const kv = await api.createDataset({ name: `ts-${uid()}`, description: 'd', metadata: { foo: 'bar' } });
  const gen = await api.createDataset({ name: `ts-gen-${uid()}`, type: 'generation' });
  await kv.update({ name: kv.name + '-renamed', description: 'updated', metadata: { foo: 'baz' } });
  const item = await kv.createItem({ input: { q: 'a' }, expectedOutput: { a: 'b' }, metadata: { m: 1 } });
  const fetchedItem = await api.getDatasetItem(item.id);
  const spare = await kv.createItem({ input: { q: 'spare' } });
  await kv.deleteItem(spare.id);

  const run = await client.thread({ id: uid() }).step({ name: 'Run', type: 'run', input: { content: 'hello' },
                                                        output: { content: 'hello!' } }).send();
  await run.step({ name: 'gpt-4o', type: 'llm', input: { content: 'hello' }, output: { content: 'hello!' } }).send();
  const fromStep = await kv.addStep(run.id);
  const g1 = await api.createGeneration({ provider: 'test', model: 'm', messages: [{ role: 'user', content: 'in 1' }],
                                         messageCompletion: { role: 'assistant', content: 'out 1' } });
  const g2 = await api.createGeneration({ provider: 'test', model: 'm', messages: [{ role: 'user', content: 'in 2' }],
                                         messageCompletion: { role: 'assistant', content: 'out 2' } });
  const fromGeneration = await gen.addGeneration(g1.id);
  const fromGenerations = await gen.addGenerations([g2.id]);

  const experiment = await kv.createExperiment({ name: 'ts-experiment', params: { temperature: 0 } });
  let runStepId, logged;
  await client.experimentItemRun().wrap(async (s) => {
    runStepId = s.id;
    logged = await experiment.log({ datasetItemId: item.id, input: { q: 'a' }, output: { a: 'b' },
                                    scores: [{ name: 'exact', type: 'CODE', value: 1 }] });
    return { answer: 42 };
  });
  const runStep = await waitFor('the experiment run step', () => api.getStep(runStepId));

  const list = await api.getDatasets();
  const byId = await api.getDataset({ id: kv.id });
  const byName = await api.getDataset({ name: gen.name });
  await gen.delete();
  result.datasets = {
    kv: { id: kv.id, name: kv.name, description: kv.description, metadata: kv.metadata, type: kv.type },
    genType: gen.type, item: { id: item.id, input: item.input, expectedOutput: item.expectedOutput, metadata: item.metadata },
    fetchedItem: { id: fetchedItem.id, input: fetchedItem.input },
    fromStep: { input: fromStep.input, expectedOutput: fromStep.expectedOutput,
                intermediarySteps: fromStep.intermediarySteps?.length ?? null },
    fromGeneration: { input: fromGeneration.input, expectedOutput: fromGeneration.expectedOutput,
                      metadata: fromGeneration.metadata },
    fromGenerations: fromGenerations.map((i) => i.input),
    experiment: { id: experiment.id, itemId: logged.id, experimentRunId: logged.experimentRunId ?? null,
                  itemScores: (logged.createdScores ?? []).map((s) => ({ id: s.id, name: s.name, value: s.value })) },
    experimentRun: { id: runStepId, environment: runStep.environment, output: runStep.output },
    listed: list.map((d) => d.id), byIdItems: byId.items.map((i) => i.id), byNameId: byName?.id ?? null,
    deletedReadsBack: await api.getDataset({ id: gen.id })
  };
}

async function prompts() {
  const name = `ts-prompt-${uid()}`;
  const messages = [{ role: 'system', content: 'You are {{persona}}.' }, { role: 'user', content: '{{question}}' }];
  const v0 = await api.getOrCreatePrompt(name, messages, { provider: 'openai', model: 'gpt-4o', temperature: 0 });
  const same = await api.getOrCreatePrompt(name, messages, { provider: 'openai', model: 'gpt-4o', temperature: 0 });
  const v1 = await api.createPrompt(name, messages, { provider: 'openai', model: 'gpt-4o', temperature: 0.7 });
  const byVersion = await api.getPrompt(name, 0);
  const byId = await api.getPromptById(v1.id);
  await api.updatePromptAbTesting(name, [{ version: 0, rollout: 100 }, { version: 1, rollout: 0 }]);
  const rollout = await api.getPromptAbTesting(name);
  const picked = await api.getPrompt(name);
  const variantId = await api.createPromptVariant(name, messages, { model: 'gpt-4o', temperature: 1 });
  const experiment = await api.createExperiment({ name: 'variant run', promptVariantId: variantId });
  result.prompts = {
    name, versions: [v0.version, same.version, v1.version], ids: [v0.id, same.id, v1.id],
    byVersion: byVersion && { id: byVersion.id, version: byVersion.version, name: byVersion.name,
                              provider: byVersion.provider, settings: byVersion.settings, url: byVersion.url },
    byId: byId && { id: byId.id, version: byId.version, name: byId.name },
    formatted: byVersion && byVersion.formatMessages({ persona: 'a pirate', question: 'Where?' }),
    rollout, pickedVersion: picked?.version ?? null, variantId: variantId ?? null, experimentId: experiment?.id ?? null
  };
}

/** The cross-entity filters and orderings the client's filter types offer, on the traced thread. */
async function filters() {
  const { threadId, ids } = result.trace;
  const identifier = result.users.identifier;
  const threadIds = async (filters, extra = {}) => (await api.getThreads({ first: 20, filters, ...extra })).data.map((t) => t.id);
  await api.createScore({ stepId: ids.llm, name: 'quality', type: 'HUMAN', value: 0.8 });
  const keep = await api.getThreads({ filters: [{ field: 'id', operator: 'eq', value: threadId }],
                                      stepTypesToKeep: ['llm'] });
  result.filters = {
    byIdentifiers: await threadIds([{ field: 'participantIdentifiers', operator: 'in', value: [identifier] }]),
    byStepType: await threadIds([{ field: 'stepType', operator: 'in', value: ['retrieval'] }]),
    byStepName: await threadIds([{ field: 'stepName', operator: 'eq', value: 'lookup' }]),
    byStepOutput: await threadIds([{ field: 'stepOutput', operator: 'ilike', value: 'SUNNY', path: 'content' }]),
    byScore: await threadIds([{ field: 'scoreValue', operator: 'gte', value: 0.5, path: 'quality' }]),
    byTokens: await threadIds([{ field: 'tokenCount', operator: 'gte', value: 23 }]),
    byMetadata: await threadIds([{ field: 'metadata', operator: 'eq', value: 'web', path: 'channel' }]),
    orderedByTokens: await threadIds([], { orderBy: { column: 'tokenCount', direction: 'DESC' } }),
    orderedByParticipant: await threadIds([], { orderBy: { column: 'participant', direction: 'ASC' } }),
    keptStepTypes: keep.data[0]?.steps?.map((s) => s.type) ?? null,
    stepsOfParent: (await api.getSteps({ filters: [{ field: 'parentId', operator: 'eq', value: ids.llm }] })).data.map((s) => s.id),
    stepsOfUser: (await api.getSteps({ first: 50, filters: [{ field: 'participantIdentifiers', operator: 'in', value: [identifier] }] }))
      .data.map((s) => s.id),
    generationsOfUser: (await api.getGenerations({ filters: [{ field: 'participant', operator: 'in', value: [identifier] }] }))
      .data.map((g) => g.id),
    generationsScored: (await api.getGenerations({ filters: [{ field: 'score', operator: 'gte', value: 0.5 }],
                                                   orderBy: { column: 'tokenCount', direction: 'DESC' } })).data.map((g) => g.id),
    usersByThreads: (await api.getUsers({ filters: [{ field: 'threadCount', operator: 'gte', value: 1 }] })).data.map((u) => u.id),
    scoresOfUser: (await api.getScores({ filters: [{ field: 'participant', operator: 'in', value: [identifier] }] }))
      .data.map((s) => s.name)
  };
}

/** A second client with an environment and a release, and decorate() adding metadata and tags. */
async function environmentAndDecorate() {
  const staged = new LiteralClient({ apiKey: process.env.LITERAL_API_KEY, apiUrl: process.env.LITERAL_API_URL,
                                     environment: 'staging', release: 'v1.2.3' });
  const stepId = uid();
  await staged.decorate({ metadata: { feature: 'beta' }, tags: ['decorated'], stepId }).wrap(async () => {
    await staged.run({ name: 'Decorated', input: { content: 'x' } }).wrap(async () => ({ content: 'y' }));
  });
  const step = await waitFor('the decorated run', () => api.getStep(stepId));
  result.environment = { stepId, environment: step.environment, metadata: step.metadata, tags: step.tags };
}

/** A step read back from the API and sent again carries what the API returned (generation
 *  createdAt/stepId, attachments with stepId, scores): the server must take it back. Also an
 *  object error, a null generation and a null endTime. */
async function resendFetchedStep() {
  const { ids } = result.trace;
  const fetched = await api.getStep(ids.llm);
  fetched.tags = ['resent'];
  fetched.metadata = { resent: true };
  await fetched.send();
  const odd = await client.run({ name: 'odd', error: { code: 42, reason: 'bad' }, generation: null, endTime: null }).send();
  const again = await api.getStep(ids.llm);
  const oddBack = await api.getStep(odd.id);
  result.resend = {
    tags: again.tags, metadata: again.metadata, attachments: again.attachments.map((a) => a.id),
    generationModel: again.generation?.model ?? null, scores: again.scores.map((s) => s.name).sort(),
    oddError: oddBack.error, oddGeneration: oddBack.generation ?? null
  };
}

/** A base URL with a trailing slash makes the client request //api/... paths. */
async function trailingSlash() {
  const slashed = new LiteralClient({ apiKey: process.env.LITERAL_API_KEY, apiUrl: process.env.LITERAL_API_URL + '/' });
  const projectId = await slashed.api.getProjectId();
  const attachment = await slashed.api.createAttachment({ content: fs.createReadStream(filePath), mime: 'image/png',
                                                          name: 'streamed.png' });
  const step = await slashed.run({ name: 'slashed', attachments: [attachment] }).send();
  const fetched = await slashed.api.getStep(step.id);
  result.trailingSlash = { projectId, stepId: step.id, objectKey: attachment.objectKey,
                           fetchedKeys: (fetched?.attachments ?? []).map((a) => a.objectKey),
                           download: attachment.url ? await download(attachment.url) : null };
}

async function main() {
  result.projectId = await api.getProjectId();
  const sections = { users, tracedConversation, attachmentFromPath, threads, stepsAndGenerations, scores, datasets,
                     prompts, filters, environmentAndDecorate, resendFetchedStep, trailingSlash };
  for (const [name, fn] of Object.entries(sections)) {
    try {
      await fn();
    } catch (e) {
      result.failures[name] = e instanceof Error ? e.stack : String(e);
    }
  }
  await new Promise((r) => setTimeout(r, 300)); // let any last fire-and-forget send log its failure
  result.consoleErrors = consoleErrors;
  process.stdout.write('RESULT ' + JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
