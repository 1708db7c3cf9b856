// Shortest chain of relations between two entities (documents left out).
// params: name (entity; default most mentioned), other (entity; default most mentioned)
MATCH (a) WHERE NOT a:Document AND (a.name = $name OR $name IN a.aliases)
MATCH (b) WHERE NOT b:Document AND (b.name = $other OR $other IN b.aliases) AND b <> a
MATCH p = shortestPath((a)-[:AFFILIATED_WITH|LOCATED_IN|PART_OF|DISCUSSES*..6]-(b))
RETURN [n IN nodes(p) | n.name] AS path, [r IN relationships(p) | type(r)] AS relations,
       length(p) AS hops
ORDER BY hops
LIMIT 1
