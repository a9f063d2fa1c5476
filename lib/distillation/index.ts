export { trainingPairsJsonl, trainingPairsManifest } from "./training-pairs";
export { TrainingPairsInput, type TrainingPairsManifest } from "./schemas";
