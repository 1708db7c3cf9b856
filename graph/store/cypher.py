"""The Cypher statements of ``graph.store``, as templates.

Values always travel as parameters (``$rows``, ``$ids`` …). Labels, relationship
types and property keys cannot be parameters: they are checked against
``NODE_LABELS`` and ``RELATION_TYPES`` (keys are quoted by ``property_map``) before
they are put into these templates with ``str.format``.
"""

from __future__ import annotations

# Schema.
CONSTRAINT = "CREATE CONSTRAINT kg_{lower}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
NAME_INDEX = "CREATE INDEX kg_{lower}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
LOCK_CONSTRAINT = ("CREATE CONSTRAINT kg_lock_id IF NOT EXISTS "
                   "FOR (l:KgLock) REQUIRE l.id IS UNIQUE")
PENDING_CONSTRAINT = ("CREATE CONSTRAINT kg_pending_id IF NOT EXISTS "
                      "FOR (p:KgPending) REQUIRE p.id IS UNIQUE")

# Writes.
MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
# New rows are created with their properties written out as a map literal, one
# statement per set of property keys: on the bundled engine that is 1.6 times faster
# than ``SET r = row.props`` for relationships and faster still for nodes.
CREATE_NODES = "UNWIND $rows AS row CREATE (n:{label} {{{props}}})"
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "CREATE (a)-[r:{type} {{{props}}}]->(b)"
)
MERGE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type}]->(b) SET r = row.props"
)
DELETE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}})-[r:{type}]->(b:{target} {{id: row.target}}) DELETE r"
)
SET_CONTRIBUTIONS = (
    "UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d.contribution = row.hash"
)
DELETE_ORPHANS = (
    "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) WHERE COUNT {{ (n)--() }} = 0 "
    "DELETE n RETURN count(n) AS n"
)
DELETE_DOCUMENTS = "UNWIND $ids AS id MATCH (d:Document {id: id}) DETACH DELETE d"

# Reads. Rows come back as lists ([id, value]): collect() drops nulls, which would
# shift a column of values against the column of ids.
NODE_HASHES = "MATCH (n:{label}) RETURN collect([n.id, n.hash]) AS rows"
RELATIONSHIP_HASHES = "MATCH (a)-[r:{type}]->(b) RETURN collect([a.id, b.id, r.hash]) AS rows"
MENTION_COUNTS = (
    "MATCH (a:Document)-[r:MENTIONS]->(b) WHERE a.id IN $docs "
    "RETURN collect([a.id, b.id, r.count]) AS rows"
)
STORED_DOCUMENTS = (
    "MATCH (d:Document) RETURN collect([d.id, d.name, d.contribution, d.hash]) AS rows"
)
READ_NODES = (
    "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) "
    "OPTIONAL MATCH (d:Document)-[m:MENTIONS]->(n) WHERE NOT d.id IN $docs "
    "RETURN properties(n) AS props, sum(m.count) AS mentions, count(m) AS docs"
)
READ_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}})-[r:{type}]->(b:{target} {{id: row.target}}) "
    "RETURN a.id AS source, b.id AS target, properties(r) AS props"
)
EVIDENCED_BY = (
    "MATCH (a)-[r:{type}]->(b) WHERE any(doc IN r.evidence_docs WHERE doc IN $docs) "
    "RETURN a.id AS source, labels(a)[0] AS source_label, b.id AS target, "
    "labels(b)[0] AS target_label, properties(r) AS props"
)
MENTIONED_BY = (
    "MATCH (d:Document)-[:MENTIONS]->(e) WHERE d.id IN $ids "
    "RETURN d.id AS source, e.id AS target, labels(e)[0] AS target_label"
)
COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"

# The load lock: one load or removal at a time, a lease on a lock node taken before
# reading what the database holds and given back at the end.
TAKE_LOCK = (
    "MERGE (l:KgLock {id: 'load'}) ON CREATE SET l.owner = $owner, l.expires = $expires "
    "WITH l WHERE l.owner = $owner OR l.expires < $now OR l.owner = $stale "
    "SET l.owner = $owner, l.expires = $expires RETURN l.owner AS owner"
)
LOCK_HOLDER = "MATCH (l:KgLock {id: 'load'}) RETURN l.owner AS owner"
RELEASE_LOCK = "MATCH (l:KgLock {id: 'load'}) WHERE l.owner = $owner DELETE l"
# The fence, run first in every write transaction of a load: no row when the lock is
# no longer ours. Writing the lock node makes a takeover committed meanwhile conflict
# with this transaction (the bundled engine fails one of the two at commit, Neo4j
# makes one wait for the other).
HOLD_LOCK = (
    "MATCH (l:KgLock {id: 'load'}) WHERE l.owner = $owner "
    "SET l.expires = $expires RETURN l.owner AS owner"
)

# The record of an unfinished load or removal (graph.store.journal): a node saying
# what it is doing, and nodes holding its documents and the entities it may leave to
# clean up, in chunks (so that the phase changes without rewriting them). Written
# before the first write, deleted after the last.
BEGIN_PENDING = (
    "MERGE (p:KgPending {id: 'pending'}) SET p.operation = $operation, p.phase = $phase, "
    "p.owner = $owner"
)
ADD_PENDING = (
    "UNWIND $chunks AS chunk CREATE (:KgPending {id: chunk.id, documents: chunk.documents, "
    "entities: chunk.entities, labels: chunk.labels})"
)
PENDING_PHASE = "MATCH (p:KgPending {id: 'pending'}) SET p.phase = $phase"
READ_PENDING = "MATCH (p:KgPending) RETURN properties(p) AS props"
CLEAR_PENDING = "MATCH (p:KgPending) DELETE p"


def property_map(keys: tuple[str, ...]) -> str:
    """The body of a map literal setting each key to ``row.p<i>``; keys are quoted."""
    return ", ".join(f"`{key.replace('`', '``')}`: row.p{i}" for i, key in enumerate(keys))

# Workspaces (graph.workspace): the documents a database holds, and emptying it.
LIST_DOCUMENTS = (
    "MATCH (d:Document) OPTIONAL MATCH (d)-[:MENTIONS]->(e) "
    "WITH d, count(DISTINCT e) AS entities "
    "RETURN d.name AS document, d.date AS date, d.title AS title, entities "
    "ORDER BY date, document"
)
COUNT_ALL_NODES = "MATCH (n) WHERE NOT n:KgLock AND NOT n:KgPending RETURN count(n) AS n"
COUNT_ALL_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
DELETE_SOME_NODES = (
    "MATCH (n) WHERE NOT n:KgLock WITH n LIMIT $limit DETACH DELETE n RETURN count(n) AS n"
)
