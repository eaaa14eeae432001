/** The rule grammar: one module per condition operator, gathered in a registry. */
export { builtInOperators, defaultOperators, OperatorRegistry } from './registry';
export { defineOperator, type CompileEnv, type ConditionOperator, type OperatorCheckEnv, type RequirementSink } from './operator';
export {
  compileGetter,
  evidenceValue,
  leaf,
  present,
  resolveField,
  resolveList,
  type Analysis,
  type CheckEnv,
  type Evidence,
  type Getter,
  type Node,
  type Path,
  type Report,
  type State,
} from './kit';
