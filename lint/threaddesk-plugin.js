// Project rules oxlint has no built-in for, as an ESLint-compatible JS plugin
// (oxlint loads it through "jsPlugins" in .oxlintrc.json).

/** True when a type node is the `unknown` keyword. */
function isUnknown(typeNode) {
  return typeNode?.type === 'TSUnknownKeyword';
}

/** The expression inside `x as T` or `<T>x`, or undefined for any other node. */
function assertedType(node) {
  return node.type === 'TSAsExpression' || node.type === 'TSTypeAssertion' ? node.typeAnnotation : undefined;
}

/**
 * `as never` and `as unknown as T` silence the type checker instead of typing the value:
 * a wrong shape then fails at run time. Tests may use them to build partial fakes; src may not.
 */
const noTypeEscape = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid `as never` and `as unknown as T` (type the value instead)' },
    messages: {
      asNever: '`as never` hides the real type: type the value (or widen the parameter) instead.',
      asUnknownAs: '`as unknown as T` hides the real type: parse or narrow the value instead.',
    },
    schema: [],
  },
  create(context) {
    /** Reports one assertion node when it is an escape hatch. */
    function check(node) {
      if (node.typeAnnotation.type === 'TSNeverKeyword') {
        context.report({ node, messageId: 'asNever' });
        return;
      }
      const inner = node.expression;
      if (inner && isUnknown(assertedType(inner))) context.report({ node, messageId: 'asUnknownAs' });
    }
    return { TSAsExpression: check, TSTypeAssertion: check };
  },
};

export default {
  meta: { name: 'threaddesk' },
  rules: { 'no-type-escape': noTypeEscape },
};
