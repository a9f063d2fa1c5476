export { trainingPairsJsonl, trainingPairsManifest, TRAINING_PAIRS_FORMAT } from "./training-pairs";
export { TrainingPairsInput, type TrainingPairsManifest } from "./schemas";
