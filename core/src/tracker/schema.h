#pragma once
// Private: the schema and its migrations, from the first release on.
#include "sqlite_db.h"

namespace foldbench::tracker {

// Version stored in the file (0 for an empty database).
int storedSchemaVersion(Database& db);
// Applies migrations from the stored version up to `target`, in one transaction.
void migrate(Database& db, int target);

}  // namespace foldbench::tracker
