// Documents that mention an entity, how often, and the sentences there that link it to others.
// params: name (entity; default most mentioned)
MATCH (e)
WHERE NOT e:Document AND (e.name = $name OR $name IN e.aliases)
MATCH (d:Document)-[m:MENTIONS]->(e)
OPTIONAL MATCH (e)-[r]-()
WHERE type(r) <> 'MENTIONS' AND d.name IN r.evidence_docs
WITH d, m, e, [i IN range(0, size(coalesce(r.evidence_docs, [])) - 1)
               WHERE r.evidence_docs[i] = d.name | r.evidence_sentences[i]] AS sentences
UNWIND CASE WHEN size(sentences) = 0 THEN [null] ELSE sentences END AS sentence
WITH d, m, e, sentence
ORDER BY sentence
RETURN d.name AS document, d.title AS title, d.date AS date, m.count AS mentions,
       collect(DISTINCT sentence) AS evidence
ORDER BY date, document
