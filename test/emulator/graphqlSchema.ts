// Builds an executable schema from an SDL (the embedded subset or Fly's full one) by attaching our resolvers
// to whichever of their types and fields the SDL has.
import { buildSchema, isInterfaceType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { nodeTypeName, principalTypeName, resolvers, type RequestContext } from './resolvers';

export function executableSchema(sdl: string): GraphQLSchema {
  const schema = buildSchema(sdl);
  if (schema.getQueryType()?.name !== 'Queries') throw new Error('the SDL must use Fly\'s root type "Queries"');
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const defs = type.getFields();
    for (const [fieldName, def] of Object.entries(defs)) {
      const resolve = fields[fieldName];
      // Fields we do not serve answer null instead of reading a same-named property of a record (a user's
      // `token`, say) through graphql-js's default resolver.
      def.resolve = resolve ? (resolve as unknown as GraphQLFieldResolver<unknown, RequestContext>) : () => null;
    }
  }
  const principal = schema.getType('Principal');
  if (isInterfaceType(principal)) principal.resolveType = principalTypeName;
  const node = schema.getType('Node');
  if (isInterfaceType(node)) node.resolveType = nodeTypeName;
  return schema;
}
