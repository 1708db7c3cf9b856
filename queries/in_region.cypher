// People and institutions in a region or in any place the gazetteer puts inside it.
// A place's `within` is the administrative hierarchy, not something a text says.
// params: name (Place; default most mentioned), limit (default 50)
MATCH (region:Place)
WHERE region.name = $name OR $name IN region.aliases
WITH region
MATCH (p:Place)
WHERE p = region OR region.name IN coalesce(p.within, [])
MATCH (x)-[r:LOCATED_IN|AFFILIATED_WITH]->(p)
RETURN p.name AS place, labels(x)[0] AS label, x.name AS name, type(r) AS relation, r.role AS role
ORDER BY place, relation, name
LIMIT $limit
