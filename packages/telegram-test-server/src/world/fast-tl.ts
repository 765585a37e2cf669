/**
 * Cheap construction of GramJS TL objects.
 *
 * GramJS's generated constructors walk every field of the schema and (for messages) run the
 * client-side CustomMessage initialiser; for a 100-dialog reply that is most of the build time.
 * `tl()` creates a real instance of the same class (same prototype, same CONSTRUCTOR_ID, so
 * `instanceof`, `getBytes()` and `className` behave identically) holding only the given fields.
 */
type TlClass = abstract new (args: never) => object;

interface ClassIdentity {
  CONSTRUCTOR_ID: number;
  SUBCLASS_OF_ID: number;
  className: string;
  classType: string;
}

const identities = new Map<TlClass, ClassIdentity>();

function identityOf(cls: TlClass): ClassIdentity {
  let id = identities.get(cls);
  if (!id) {
    // Messages refuse to be built without an id; every other constructor accepts an empty object.
    const probe = new (cls as unknown as new (args: object) => ClassIdentity)({ id: 1 });
    id = {
      CONSTRUCTOR_ID: probe.CONSTRUCTOR_ID,
      SUBCLASS_OF_ID: probe.SUBCLASS_OF_ID,
      className: probe.className,
      classType: probe.classType,
    };
    identities.set(cls, id);
  }
  return id;
}

export function tl<C extends TlClass>(cls: C, fields: ConstructorParameters<C>[0]): InstanceType<C> {
  const id = identityOf(cls);
  const obj = Object.create((cls as unknown as { prototype: object }).prototype) as Record<string, unknown>;
  obj.CONSTRUCTOR_ID = id.CONSTRUCTOR_ID;
  obj.SUBCLASS_OF_ID = id.SUBCLASS_OF_ID;
  obj.className = id.className;
  obj.classType = id.classType;
  obj.originalArgs = fields;
  // Absent optional fields stay absent (getBytes treats missing and undefined alike).
  const source = fields as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    if (value !== undefined) obj[key] = value;
  }
  return obj as InstanceType<C>;
}
