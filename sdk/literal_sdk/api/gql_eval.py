"""GraphQL documents for datasets, dataset items, experiments, prompts and A/B rollouts."""

DATASET = "id createdAt name description metadata type"
DATASET_ITEM = "id createdAt datasetId metadata input expectedOutput intermediarySteps stepId"

CREATE_DATASET = f"""mutation createDataset($name: String!, $description: String, $metadata: Json,
  $type: DatasetType) {{
  createDataset(name: $name, description: $description, metadata: $metadata, type: $type) {{ {DATASET} }} }}"""
UPDATE_DATASET = f"""mutation UpdateDataset($id: String!, $name: String, $description: String, $metadata: Json) {{
  updateDataset(id: $id, name: $name, description: $description, metadata: $metadata) {{ {DATASET} }} }}"""
DELETE_DATASET = f"mutation DeleteDataset($id: String!) {{ deleteDataset(id: $id) {{ {DATASET} }} }}"

CREATE_DATASET_ITEM = f"""mutation CreateDatasetItem($datasetId: String!, $input: Json!, $expectedOutput: Json,
  $metadata: Json, $generationId: String) {{
  createDatasetItem(datasetId: $datasetId, input: $input, expectedOutput: $expectedOutput, metadata: $metadata,
                    generationId: $generationId) {{ {DATASET_ITEM} }} }}"""
GET_DATASET_ITEM = f"query GetDataItem($id: String!) {{ datasetItem(id: $id) {{ {DATASET_ITEM} }} }}"
DELETE_DATASET_ITEM = f"mutation DeleteDatasetItem($id: String!) {{ deleteDatasetItem(id: $id) {{ {DATASET_ITEM} }} }}"
ADD_STEP_TO_DATASET = f"""mutation AddStepToDataset($datasetId: String!, $stepId: String!, $metadata: Json) {{
  addStepToDataset(datasetId: $datasetId, stepId: $stepId, metadata: $metadata) {{ {DATASET_ITEM} }} }}"""
ADD_GENERATION_TO_DATASET = f"""mutation AddGenerationToDataset($datasetId: String!, $generationId: String!,
  $metadata: Json) {{
  addGenerationToDataset(datasetId: $datasetId, generationId: $generationId, metadata: $metadata) {{
    {DATASET_ITEM} }} }}"""

CREATE_EXPERIMENT = """mutation CreateDatasetExperiment($name: String!, $datasetId: String,
  $promptExperimentId: String, $params: Json) {
  createDatasetExperiment(name: $name, datasetId: $datasetId, promptExperimentId: $promptExperimentId,
                          params: $params) { id name datasetId promptExperimentId params } }"""
CREATE_EXPERIMENT_ITEM = """mutation CreateDatasetExperimentItem($datasetExperimentId: String!,
  $experimentRunId: String, $datasetItemId: String, $input: Json, $output: Json) {
  createDatasetExperimentItem(datasetExperimentId: $datasetExperimentId, datasetItemId: $datasetItemId,
                              experimentRunId: $experimentRunId, input: $input, output: $output) {
    id input output datasetExperimentId experimentRunId datasetItemId } }"""

CREATE_PROMPT_LINEAGE = """mutation createPromptLineage($name: String!, $description: String) {
  createPromptLineage(name: $name, description: $description) { id name deletedAt } }"""
GET_PROMPT_LINEAGE = "query promptLineage($name: String!) { promptLineage(name: $name) { id deletedAt } }"
CREATE_PROMPT_VERSION = """mutation createPromptVersion($lineageId: String!, $versionDesc: String,
  $templateMessages: Json, $tools: Json, $settings: Json, $variables: Json, $variablesDefaultValues: Json) {
  createPromptVersion(lineageId: $lineageId, versionDesc: $versionDesc, templateMessages: $templateMessages,
                      tools: $tools, settings: $settings, variables: $variables,
                      variablesDefaultValues: $variablesDefaultValues) {
    id lineage { name deletedAt } version createdAt tools settings templateMessages } }"""
CREATE_PROMPT_VARIANT = """mutation createPromptExperiment($fromLineageId: String, $fromVersion: Int,
  $scoreTemplateId: String, $templateMessages: Json, $settings: Json, $tools: Json, $variables: Json) {
  createPromptExperiment(fromLineageId: $fromLineageId, fromVersion: $fromVersion,
                         scoreTemplateId: $scoreTemplateId, templateMessages: $templateMessages,
                         settings: $settings, tools: $tools, variables: $variables) {
    id fromLineageId fromVersion scoreTemplateId projectId projectUserId tools settings variables
    templateMessages } }"""
GET_PROMPT_VERSION = """query GetPrompt($id: String, $name: String, $version: Int) {
  promptVersion(id: $id, name: $name, version: $version) {
    createdAt id label settings status tags templateMessages tools type updatedAt url variables
    variablesDefaultValues version lineage { name deletedAt } } }"""
GET_PROMPT_AB_TESTING = """query getPromptLineageRollout($projectId: String, $lineageName: String!) {
  promptLineageRollout(projectId: $projectId, lineageName: $lineageName) {
    pageInfo { startCursor endCursor } edges { node { version rollout } } } }"""
UPDATE_PROMPT_AB_TESTING = """mutation updatePromptLineageRollout($projectId: String, $name: String!,
  $rollouts: [PromptVersionRolloutInput!]!) {
  updatePromptLineageRollout(projectId: $projectId, name: $name, rollouts: $rollouts) {
    ok message errorCode } }"""
