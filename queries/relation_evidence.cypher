// The evidence behind the relations between two named entities, sentence by sentence.
// params: name (default 许光文), other (default 沈化大)
MATCH (a) WHERE NOT a:Document AND (a.name = $name OR $name IN a.aliases)
MATCH (b) WHERE NOT b:Document AND (b.name = $other OR $other IN b.aliases)
MATCH (a)-[r]-(b)
UNWIND range(0, size(r.evidence_docs) - 1) AS i
RETURN startNode(r).name AS source, type(r) AS relation, endNode(r).name AS target,
       r.role AS role, r.evidence_docs[i] AS document, r.evidence_sentences[i] AS sentence
ORDER BY relation, document, sentence
