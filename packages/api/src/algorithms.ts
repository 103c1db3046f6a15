// Re-exports the algorithmic API (quantities, selectors, patches). Owned by the algorithms work; index.ts re-exports this.
export {};
