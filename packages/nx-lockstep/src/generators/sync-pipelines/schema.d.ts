// The sync generator takes no options: everything comes from nx.json and the project graph.
export type SyncPipelinesGeneratorSchema = Record<string, never>;
