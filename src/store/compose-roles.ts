/**
 * How a dialect's store class takes on its role objects (`accounts(conn)`, `tasks(conn)`, …) without
 * a method forwarding to them: the role members become the members of a prototype put under the
 * instance, itself made from the class's prototype (so the class's own methods and getters stay).
 * Not as the instance's own properties: sixty-odd properties assigned to one object put it in V8's
 * dictionary mode, a slower lookup on every call of the hot paths, while the members of a prototype
 * are found as fast as class methods.
 */
export function adoptRoles(instance: object, classPrototype: object, roles: object): void {
  Object.setPrototypeOf(instance, Object.assign(Object.create(classPrototype) as object, roles));
}
