/** A consumer on the module path: each requires names a library jar's Automatic-Module-Name. */
module example.consumer {
    requires org.measureflow.core;
    requires org.measureflow.ot;
    requires org.measureflow.flowmatching;
}
