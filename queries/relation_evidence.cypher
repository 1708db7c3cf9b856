// Why two named entities are linked: each relation with its rule, confidence and sentences.
// params: name (entity; default most mentioned), other (entity; default most mentioned linked to name)
MATCH (a) WHERE NOT a:Document AND (a.name = $name OR $name IN a.aliases)
MATCH (b) WHERE NOT b:Document AND (b.name = $other OR $other IN b.aliases)
MATCH (a)-[r]-(b)
UNWIND range(0, size(coalesce(r.evidence_docs, [])) - 1) AS i
RETURN startNode(r).name AS source, type(r) AS relation, endNode(r).name AS target,
       r.role AS role, r.rule AS rule, r.confidence AS confidence,
       r.evidence_docs[i] AS document, r.evidence_starts[i] AS start,
       r.evidence_ends[i] AS end, r.evidence_sentences[i] AS sentence
ORDER BY relation, document, start, sentence
