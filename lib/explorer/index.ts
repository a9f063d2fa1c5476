/** Entry file of the outputs explorer: an eval set's outputs side by side, with metrics, filters, paging and export. */
export {
  exploreOutputs,
  EXPLORER_METRICS,
  type ExplorerPage,
  type ExplorerItem,
  type ExplorerOutput,
} from "./explore-outputs";
export { exportOutputs } from "./export-outputs";
export { describeOutputSet } from "./output-set-label";
export { highlightChanges, type Segment } from "./highlight";
export * from "./schemas";
