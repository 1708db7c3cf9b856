// An entity's neighbourhood up to depth hops (at most 4), documents left out.
// params: name (entity; default most mentioned), depth (default 2), limit (default 50)
// The depth of a variable-length pattern cannot be a parameter, so the pattern
// goes to 4 and the paths are cut to $depth.
MATCH (e) WHERE NOT e:Document AND (e.name = $name OR $name IN e.aliases)
MATCH p = (e)-[:AFFILIATED_WITH|LOCATED_IN|PART_OF|DISCUSSES*1..4]-(x)
WHERE length(p) <= $depth AND x <> e
RETURN labels(x)[0] AS label, x.name AS name, min(length(p)) AS distance
ORDER BY distance, label, name
LIMIT $limit
